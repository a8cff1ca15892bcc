package dev.dve.engine.async;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.record.Entity;
import dev.dve.store.JobQueue;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The async service's rules on their own: the back-off, the state table, the error table and settlement. */
class JobRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void theDefaultBackOffIsDataverses() {
        List<Long> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(RetryPolicy.DATAVERSE.delay(i).orElseThrow().toSeconds());
        }
        assertEquals(List.of(36L, 43L, 52L, 62L, 75L), waits);
        assertTrue(RetryPolicy.DATAVERSE.delay(5).isEmpty(), "no sixth attempt");
        RetryPolicy quick = new RetryPolicy(Duration.ofSeconds(10), 2.0, 2);
        assertEquals(Duration.ofSeconds(20), quick.delay(1).orElseThrow());
        assertTrue(quick.delay(2).isEmpty());
    }

    @Test
    void peopleMoveJobsOnlyByTheDocumentedMoves() {
        assertEquals(JobStatus.CANCELED, JobTransitions.target(JobStatus.WAITING_FOR_RESOURCES, JobTransitions.UserAction.CANCEL));
        assertEquals(JobStatus.CANCELING, JobTransitions.target(JobStatus.IN_PROGRESS, JobTransitions.UserAction.CANCEL));
        assertEquals(JobStatus.PAUSING, JobTransitions.target(JobStatus.IN_PROGRESS, JobTransitions.UserAction.PAUSE));
        assertEquals(JobStatus.WAITING, JobTransitions.target(JobStatus.WAITING_FOR_RESOURCES, JobTransitions.UserAction.POSTPONE));
        assertEquals(JobStatus.WAITING_FOR_RESOURCES, JobTransitions.target(JobStatus.WAITING, JobTransitions.UserAction.RESUME));
        assertNull(JobTransitions.target(JobStatus.SUCCEEDED, JobTransitions.UserAction.RESUME), "a completed job stays completed");
        assertNull(JobTransitions.target(JobStatus.FAILED, JobTransitions.UserAction.CANCEL));
        assertNull(JobTransitions.target(JobStatus.WAITING_FOR_RESOURCES, JobTransitions.UserAction.PAUSE), "only a running job pauses");
        assertNull(JobTransitions.target(JobStatus.WAITING, JobTransitions.UserAction.POSTPONE));
        for (JobStatus done : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED)) {
            for (JobStatus any : JobStatus.values()) {
                assertFalse(JobTransitions.allowed(done, any), done + " is final");
            }
        }
        assertFalse(JobTransitions.allowed(JobStatus.CANCELING, JobStatus.WAITING_FOR_RESOURCES), "a cancel request survives a take-over");
        assertFalse(JobTransitions.allowed(JobStatus.PAUSING, JobStatus.WAITING_FOR_RESOURCES), "a pause request survives a take-over");
    }

    @Test
    void theErrorTable() {
        assertEquals(JobFailure.Disposition.FAIL, classify(new DataverseFault(ErrorCode.INFINITE_LOOP, "loop"), true));
        assertEquals(JobFailure.Disposition.RETRY, classify(new DataverseFault(ErrorCode.ORGANIZATION_DISABLED, "off"), true));
        assertEquals(JobFailure.Disposition.RETRY, classify(new DataverseFault(ErrorCode.SERVER_BUSY, "busy"), false));
        assertEquals(JobFailure.Disposition.SUSPEND, classify(new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "no"), true), "an SDK call's failure suspends a workflow");
        assertEquals(JobFailure.Disposition.FAIL, classify(new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "no"), false), "and fails any other job");
        JobFailure sql = FailureClassifier.classify(new DataverseFault(ErrorCode.SQL_ERROR, 500, "Generic SQL error.", new SQLException("x")), true);
        assertEquals(JobFailure.Disposition.RETRY, sql.disposition());
        assertEquals(0x80040216, sql.code());
        assertEquals(JobFailure.Disposition.SUSPEND, classify(new HttpCallFailure(HttpCallFailure.Kind.UNAUTHORIZED, "401"), false));
        assertEquals(JobFailure.Disposition.RETRY, classify(new HttpCallFailure(HttpCallFailure.Kind.HTTP, "500"), false));
        assertEquals(JobFailure.Disposition.RETRY, classify(new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "refused"), true));
        assertEquals(0x80044306, FailureClassifier.classify(new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "refused"), true).code());
        assertEquals(JobFailure.Disposition.FAIL, classify(new DataverseFault(ErrorCode.ISV_ABORTED, "refused"), true));
        assertEquals(JobFailure.Disposition.FAIL, classify(new NullPointerException(), true), "anything else fails");
    }

    private static JobFailure.Disposition classify(RuntimeException e, boolean workflow) {
        return FailureClassifier.classify(e, workflow).disposition();
    }

    private static Entity job(JobStatus s, int retries, Instant postponeUntil) {
        return new Entity("asyncoperation", UUID.randomUUID()).set("statecode", s.state()).set("statuscode", s.status())
                .set("retrycount", retries).set("postponeuntil", postponeUntil);
    }

    @Test
    void settlementParksRetriesAndHonoursPendingRequests() {
        JobFailure busy = new JobFailure(JobFailure.Disposition.RETRY, ErrorCode.SERVER_BUSY.signed(), "busy");
        JobSettlement.Result retry = JobSettlement.settle(job(JobStatus.IN_PROGRESS, 2, null), null, busy, NOW, NOW, RetryPolicy.DATAVERSE);
        assertEquals(1, retry.changes().get("statecode"));
        assertEquals(NOW.plusSeconds(52), retry.changes().get("postponeuntil"));
        assertEquals(3, retry.changes().get("retrycount"));
        JobSettlement.Result exhausted = JobSettlement.settle(job(JobStatus.IN_PROGRESS, 5, null), null, busy, NOW, NOW, RetryPolicy.DATAVERSE);
        assertEquals(JobQueue.FOREVER, exhausted.changes().get("postponeuntil"));
        assertFalse(exhausted.changes().contains("retrycount"));

        JobSettlement.Result canceled = JobSettlement.settle(job(JobStatus.CANCELING, 0, null), new JobOutcome.Waiting(JobQueue.FOREVER), null, NOW, NOW,
                RetryPolicy.DATAVERSE);
        assertEquals(32, canceled.changes().get("statuscode"));
        assertTrue(canceled.fin());
        JobSettlement.Result postponed = JobSettlement.settle(job(JobStatus.PAUSING, 0, NOW.plusSeconds(600)), new JobOutcome.Waiting(JobQueue.FOREVER), null,
                NOW, NOW, RetryPolicy.DATAVERSE);
        assertEquals(10, postponed.changes().get("statuscode"));
        assertEquals(NOW.plusSeconds(600), postponed.changes().get("postponeuntil"), "a postponed running job waits until the time asked for");
        JobSettlement.Result done = JobSettlement.settle(job(JobStatus.IN_PROGRESS, 1, null), new JobOutcome.Succeeded(true), null, NOW.plusSeconds(3), NOW,
                RetryPolicy.DATAVERSE);
        assertEquals(30, done.changes().get("statuscode"));
        assertTrue(done.delete());
        assertEquals(3.0, done.changes().get("executiontimespan"));
    }
}
