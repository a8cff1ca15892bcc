package dev.dve.engine.async;

import java.time.Instant;

/** How a handler's run of a job ended when it did not fail. */
public sealed interface JobOutcome {
    /** Done; {@code deleteJob} when the job asks to be removed on success (a workflow's {@code asyncautodelete}). */
    record Succeeded(boolean deleteJob) implements JobOutcome {
    }

    /** Ended by the job's own logic (a Stop step with status Canceled, a deactivated workflow). */
    record Canceled(String message) implements JobOutcome {
    }

    /**
     * Parked until a time ({@code FOREVER} for a pure condition or a manual resume); its checkpoint is saved. With
     * {@code wakesOnChange} a change to the job's regarding record wakes it early, to test its condition again.
     */
    record Waiting(Instant until, boolean wakesOnChange) implements JobOutcome {
        public Waiting(Instant until) {
            this(until, false);
        }
    }
}
