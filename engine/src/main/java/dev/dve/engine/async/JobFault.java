package dev.dve.engine.async;

/** A handler's own verdict on a job (the regarding record is gone, the workflow system is paused …). */
public final class JobFault extends RuntimeException {
    private final JobFailure failure;

    public JobFault(JobFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public JobFailure failure() {
        return failure;
    }
}
