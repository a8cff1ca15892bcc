package dev.dve.engine.workflow.runtime;

import java.time.Instant;

/**
 * The run must wait: for a time (a timeout or delay), or, with {@link #FOREVER}, for the record to change or a
 * manual resume. {@link #checkpoint()} is the run's state at the waiting step: a run resumed from it re-enters that
 * step (a delay then checks its time, a wait condition re-evaluates its branches against the fresh record).
 */
public final class WorkflowWaiting extends RuntimeException {
    public static final Instant FOREVER = Instant.parse("9999-12-30T23:59:59Z");
    private final Instant until;
    private final String checkpoint;
    private final StepInfo step;

    public WorkflowWaiting(Instant until, String checkpoint) {
        this(until, checkpoint, null);
    }

    public WorkflowWaiting(Instant until, String checkpoint, StepInfo step) {
        super("waiting until " + until, null, false, false);
        this.until = until;
        this.checkpoint = checkpoint;
        this.step = step;
    }

    public Instant until() {
        return until;
    }

    /** The checkpoint JSON to resume from (see {@link WorkflowRun#resumeFrom(String)}). */
    public String checkpoint() {
        return checkpoint;
    }

    /** The waiting step (a {@code Postpone} or a {@code Wait}), or null when not known. */
    public StepInfo step() {
        return step;
    }
}
