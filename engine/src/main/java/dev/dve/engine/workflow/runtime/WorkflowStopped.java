package dev.dve.engine.workflow.runtime;

/** A Stop Workflow step: Canceled (an error, for real-time workflows a Business Process Error) or Succeeded. */
public final class WorkflowStopped extends RuntimeException {
    private final boolean canceled;

    public WorkflowStopped(boolean canceled, String reason) {
        super(reason, null, false, false);
        this.canceled = canceled;
    }

    public boolean canceled() {
        return canceled;
    }
}
