package dev.dve.engine.async;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;

import java.sql.SQLException;

import static dev.dve.engine.async.JobFailure.Disposition.FAIL;
import static dev.dve.engine.async.JobFailure.Disposition.RETRY;
import static dev.dve.engine.async.JobFailure.Disposition.SUSPEND;

/**
 * The error table of spec §3, exactly: which failures fail a job, which retry it and which suspend it, for workflows
 * and for other system jobs.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /** Classifies a failure of a job; {@code workflow} picks the workflow column of the table. */
    public static JobFailure classify(Throwable t, boolean workflow) {
        if (t instanceof JobFault f) {
            return f.failure();
        }
        if (t instanceof HttpCallFailure h) {
            return new JobFailure(h.kind() == HttpCallFailure.Kind.UNAUTHORIZED ? SUSPEND : RETRY, ErrorCode.CALL_OUT_FAILED.signed(), message(t));
        }
        if (t instanceof DataverseFault f) {
            ErrorCode c = f.code();
            return switch (c) {
                case INFINITE_LOOP -> new JobFailure(FAIL, c.signed(), f.getMessage());
                case ORGANIZATION_DISABLED, SERVER_BUSY -> new JobFailure(RETRY, c.signed(), f.getMessage());
                case SQL_ERROR, SQL_TIMEOUT, UNEXPECTED -> f.getCause() instanceof SQLException
                        ? new JobFailure(RETRY, ErrorCode.SQL_ERROR.signed(), f.getMessage())
                        : new JobFailure(FAIL, c.signed(), f.getMessage());
                case WORKFLOW_SYSTEM_PAUSED, REGARDING_RECORD_MISSING -> new JobFailure(SUSPEND, c.signed(), f.getMessage());
                case CALL_OUT_FAILED -> new JobFailure(RETRY, c.signed(), f.getMessage());
                // a custom activity threw InvalidPluginExecutionException
                case ISV_ABORTED -> new JobFailure(FAIL, c.signed(), f.getMessage());
                // any other failure of an SDK call the job made
                default -> new JobFailure(workflow ? SUSPEND : FAIL, c.signed(), f.getMessage());
            };
        }
        if (t instanceof SQLException) {
            return new JobFailure(RETRY, ErrorCode.SQL_ERROR.signed(), "Generic SQL error. " + t.getMessage());
        }
        return new JobFailure(FAIL, ErrorCode.UNEXPECTED.signed(), message(t));
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
