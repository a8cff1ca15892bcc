package dev.dve.junit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The emulator's admin API as a Java interface, one method per route of {@code /admin/}. Two implementations answer
 * alike: {@link InProcessAdmin} over an emulator running in this JVM, and {@link HttpAdmin} over HTTP, for an emulator
 * started elsewhere (a jar, a container). A refused call throws {@link AdminException} with the status and error code
 * the HTTP route answers.
 */
public interface Admin {
    /** {@code GET /admin/health}: an unhealthy node is answered, not thrown. */
    Health health();

    /** {@code POST /admin/reset}: every row deleted and the fixtures loaded again, the clock back on system time; answers the fixture records loaded. */
    int reset();

    /** {@code GET /admin/clock}. */
    ClockReading clock();

    /** {@code POST /admin/clock {"freeze": …}}: stops time where it is, or lets it run on from there. */
    ClockReading freezeClock(boolean frozen);

    /** {@code POST /admin/clock {"set": …}}: moves the clock to an instant (it stays frozen or running). */
    ClockReading setClock(Instant instant);

    /** {@code POST /admin/clock {"advance": …}}: moves the clock forward; jobs parked until then become due. */
    ClockReading advanceClock(Duration duration);

    /** {@code POST /admin/async/run-until-idle}: runs every due system job on this node until none is due by the emulator clock. */
    default IdleReport runUntilIdle() {
        return runUntilIdle(10_000);
    }

    /** The same, running at most {@code limit} jobs (a positive number). */
    IdleReport runUntilIdle(int limit);

    /** {@code POST /admin/faults}: the next {@code count} SDK calls of background runs (of {@code workflowId}, or of all when null) fail. */
    InjectedFault injectFault(FaultKind kind, int count, UUID workflowId);

    /** One failing call of every workflow's; {@link FaultKind#WORKFLOW_SYSTEM_PAUSED} pauses the workflow system until cleared. */
    default InjectedFault injectFault(FaultKind kind) {
        return injectFault(kind, kind == FaultKind.WORKFLOW_SYSTEM_PAUSED ? Integer.MAX_VALUE : 1, null);
    }

    /** {@code GET /admin/faults}: the faults still to happen, oldest first. */
    List<InjectedFault> faults();

    /** {@code DELETE /admin/faults}. */
    void clearFaults();

    /** {@code POST /admin/custom-activities}: a custom code activity's type name (as the XAML names it) calls out to {@code url}. */
    void registerCustomActivity(String typeName, String url);

    /** {@code POST /admin/credentials {"username", "secret"}}: a user's password. */
    void setPassword(String userName, String password);

    /** {@code POST /admin/credentials {"clientId", "secret"}}: an application user's client secret. */
    void setClientSecret(String clientId, String secret);

    /** Now by the emulator clock. */
    default Instant now() {
        return clock().now();
    }

    /** {@code {"status":"Healthy","nodeId":…,"database":…,"now":…}}. */
    record Health(String status, String nodeId, String database, Instant now) {
        public boolean healthy() {
            return "Healthy".equals(status);
        }
    }

    /** {@code {"now":…,"frozen":…}}. */
    record ClockReading(Instant now, boolean frozen) {
    }
}
