package dev.dve.engine.workflow.runtime;

import java.time.Instant;

/** The run must wait: for a time (a timeout or delay), or, with {@link #FOREVER}, for the record to change. */
public final class WorkflowWaiting extends RuntimeException {
    public static final Instant FOREVER = Instant.parse("9999-12-30T23:59:59Z");
    private final Instant until;

    public WorkflowWaiting(Instant until) {
        super("waiting until " + until, null, false, false);
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
