package dev.dve.engine.async;

/**
 * What the async service does with a job that failed (spec §3 "Errors: fail, retry or suspend"), with the code and
 * message it records on the job.
 */
public record JobFailure(Disposition disposition, int code, String message) {
    /** Fail ends the job; Retry parks it for the back-off; Suspend parks it until a person resumes it. */
    public enum Disposition { FAIL, RETRY, SUSPEND }

    public String hexCode() {
        return String.format("0x%08x", code);
    }
}
