package dev.dve.engine.workflow.runtime;

/**
 * A workflow definition that cannot run on the data it meets — a step with no record to work on, a field the table
 * does not have, a non-record stored where a record belongs: a business failure of the process (a Business Process
 * Error for a real-time run, a failed job for a background one), not a fault of the emulator. Anything else the
 * interpreter throws is a programming error and surfaces as one.
 */
public final class WorkflowFailure extends RuntimeException {
    public WorkflowFailure(String message) {
        super(message, null, false, false);
    }
}
