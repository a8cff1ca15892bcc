package dev.dve.engine.async;

/** Runs the system jobs of one operation type (10 workflow, 1 webhook, 13 bulk delete …). */
public interface JobHandler {
    int operationType();

    /** Whether failures follow the "workflow" column of the error table (an SDK call's failure suspends rather than fails). */
    default boolean workflow() {
        return false;
    }

    /**
     * Runs the job. Returns how it ended; throws when it failed (the async service classifies the error). Called
     * outside any transaction: each step opens its own.
     */
    JobOutcome run(JobExecution execution);
}
