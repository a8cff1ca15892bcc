package dev.dve.engine.async;

import java.util.Optional;

/** A system job's state and status pair ({@code statecode}/{@code statuscode} of {@code asyncoperation}). */
public enum JobStatus {
    WAITING_FOR_RESOURCES(0, 0),
    WAITING(1, 10),
    IN_PROGRESS(2, 20),
    PAUSING(2, 21),
    CANCELING(2, 22),
    SUCCEEDED(3, 30),
    FAILED(3, 31),
    CANCELED(3, 32);

    public static final int READY = 0;
    public static final int SUSPENDED = 1;
    public static final int LOCKED = 2;
    public static final int COMPLETED = 3;

    private final int state;
    private final int status;

    JobStatus(int state, int status) {
        this.state = state;
        this.status = status;
    }

    public int state() {
        return state;
    }

    public int status() {
        return status;
    }

    public boolean completed() {
        return state == COMPLETED;
    }

    public static Optional<JobStatus> of(Integer state, Integer status) {
        for (JobStatus s : values()) {
            if (Integer.valueOf(s.state).equals(state) && Integer.valueOf(s.status).equals(status)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
