package dev.dve.engine.async;

/**
 * Thrown at a step boundary when the job must stop there: a person asked it to pause or cancel, or this node lost
 * its lease. The step's transaction rolls back; the async service settles the job.
 */
public final class JobInterrupted extends RuntimeException {
    public JobInterrupted(String message) {
        super(message, null, false, false);
    }
}
