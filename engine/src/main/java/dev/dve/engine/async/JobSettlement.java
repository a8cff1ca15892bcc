package dev.dve.engine.async;

import dev.dve.record.Entity;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a finished run leaves its job: the changes to write, given the job's row as it is now (a person may have
 * asked it to pause or cancel meanwhile), how the run ended, the time and the retry policy.
 */
public final class JobSettlement {
    private JobSettlement() {
    }

    /** The outcome of settling: the row changes, whether the job is final and whether to delete it. */
    public record Result(Entity changes, boolean fin, boolean delete, String label) {
    }

    /**
     * @param current   the job's row now
     * @param outcome   how the run ended, or null when it failed
     * @param failure   the classified failure, or null
     * @param startedAt when this run began (emulator time)
     */
    public static Result settle(Entity current, JobOutcome outcome, JobFailure failure, Instant now, Instant startedAt,
                                RetryPolicy retry) {
        JobStatus status = JobStatus.of((Integer) current.get("statecode"), (Integer) current.get("statuscode"))
                .orElseThrow(() -> new IllegalStateException("job " + current.id() + " has no valid state"));
        Entity changes = new Entity("asyncoperation", current.id());
        double seconds = Math.max(0, Duration.between(startedAt, now).toMillis() / 1000.0);
        double span = (current.get("executiontimespan") instanceof Number n ? n.doubleValue() : 0) + seconds;
        changes.set("executiontimespan", Math.round(span * 100) / 100.0);
        boolean finished = outcome instanceof JobOutcome.Succeeded || outcome instanceof JobOutcome.Canceled || failure != null
                && failure.disposition() == JobFailure.Disposition.FAIL;
        // a person's request wins over a run that would only park the job
        if (status == JobStatus.CANCELING && !(outcome instanceof JobOutcome.Succeeded)) {
            return finalState(changes, JobStatus.CANCELED, now, failure, false, "canceled");
        }
        if (status == JobStatus.PAUSING && !finished) {
            Instant until = current.get("postponeuntil") instanceof Instant p && p.isAfter(now) ? p : dev.dve.store.JobQueue.FOREVER;
            return parked(changes, until, failure, "suspended");
        }
        if (outcome instanceof JobOutcome.Succeeded s) {
            Result r = finalState(changes, JobStatus.SUCCEEDED, now, null, s.deleteJob(), "succeeded");
            changes.set("errorcode", null).set("message", null).set("friendlymessage", null);
            return r;
        }
        if (outcome instanceof JobOutcome.Canceled c) {
            changes.set("message", c.message());
            return finalState(changes, JobStatus.CANCELED, now, null, false, "canceled");
        }
        if (outcome instanceof JobOutcome.Waiting w) {
            changes.set("postponeuntil", w.until()).set("iswaitingforevent", w.wakesOnChange());
            return new Result(state(changes, JobStatus.WAITING), false, false, "waiting");
        }
        if (failure == null) {
            throw new IllegalStateException("a run ended with neither an outcome nor a failure");
        }
        return switch (failure.disposition()) {
            case FAIL -> finalState(changes, JobStatus.FAILED, now, failure, false, "failed");
            case SUSPEND -> parked(changes, dev.dve.store.JobQueue.FOREVER, failure, "suspended");
            case RETRY -> {
                int retries = current.get("retrycount") instanceof Integer i ? i : 0;
                var delay = retry.delay(retries);
                if (delay.isEmpty()) {
                    yield parked(changes, dev.dve.store.JobQueue.FOREVER, failure, "suspended");
                }
                changes.set("retrycount", retries + 1);
                yield parked(changes, now.plus(delay.get()), failure, "retrying");
            }
        };
    }

    private static Result parked(Entity changes, Instant until, JobFailure failure, String label) {
        changes.set("postponeuntil", until);
        error(changes, failure);
        return new Result(state(changes, JobStatus.WAITING), false, false, label);
    }

    private static Result finalState(Entity changes, JobStatus s, Instant now, JobFailure failure, boolean delete, String label) {
        changes.set("completedon", now);
        error(changes, failure);
        return new Result(state(changes, s), true, delete, label);
    }

    private static Entity state(Entity changes, JobStatus s) {
        return changes.set("statecode", s.state()).set("statuscode", s.status());
    }

    private static void error(Entity changes, JobFailure failure) {
        if (failure != null) {
            String m = failure.message() == null ? "" : failure.message();
            changes.set("errorcode", failure.code()).set("message", truncate(m, 100000)).set("friendlymessage", truncate(m, 100000));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
