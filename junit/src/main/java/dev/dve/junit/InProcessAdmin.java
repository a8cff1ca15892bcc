package dev.dve.junit;

import dev.dve.engine.OrganizationRuntime;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.record.Entity;
import dev.dve.server.EmulatorServer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The admin API over an emulator running in this JVM: each call goes straight to the node's organization runtime, as
 * the {@code /admin/} routes do, with the same checks and the same refusals.
 */
public final class InProcessAdmin implements Admin {
    private final EmulatorServer server;

    public InProcessAdmin(EmulatorServer server) {
        this.server = server;
    }

    private OrganizationRuntime runtime() {
        OrganizationRuntime r = server.runtime();
        if (r == null) {
            throw new IllegalStateException("The emulator is not started.");
        }
        return r;
    }

    @Override
    public Health health() {
        OrganizationRuntime r = runtime();
        boolean ok = r.healthy();
        return new Health(ok ? "Healthy" : "Unhealthy", server.nodeId(), r.database().dialect().name(), r.now());
    }

    @Override
    public int reset() {
        return call(() -> runtime().reset());
    }

    @Override
    public ClockReading clock() {
        OrganizationRuntime r = runtime();
        return new ClockReading(r.now(), r.clock().isFrozen());
    }

    @Override
    public ClockReading freezeClock(boolean frozen) {
        runtime().freezeClock(frozen);
        return clock();
    }

    @Override
    public ClockReading setClock(Instant instant) {
        if (instant == null) {
            throw invalid("Give the instant to set the clock to.");
        }
        runtime().setClock(instant);
        return clock();
    }

    @Override
    public ClockReading advanceClock(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw invalid("The clock cannot be advanced by a negative duration.");
        }
        runtime().advanceClock(duration);
        return clock();
    }

    @Override
    public IdleReport runUntilIdle(int limit) {
        if (limit <= 0) {
            throw invalid("\"limit\" must be a positive number of jobs.");
        }
        OrganizationRuntime r = runtime();
        dev.dve.engine.async.AsyncService.IdleReport report = call(() -> r.async().runUntilIdle(limit));
        return new IdleReport(report.jobs(), report.byOutcome(), r.now());
    }

    @Override
    public InjectedFault injectFault(FaultKind kind, int count, UUID workflowId) {
        if (kind == null) {
            throw invalid("Name the fault to inject.");
        }
        if (count <= 0) {
            throw invalid("\"count\" must be a positive number of calls.");
        }
        UUID id = call(() -> runtime().faults().add(kind.wireName(), count, workflowId));
        return new InjectedFault(id, kind, count, workflowId);
    }

    @Override
    public List<InjectedFault> faults() {
        return call(() -> runtime().faults().list()).stream()
                .map(f -> new InjectedFault(f.id(), FaultKind.fromWireName(f.kind()), f.remaining(), f.workflowId()))
                .toList();
    }

    @Override
    public void clearFaults() {
        call(() -> {
            runtime().faults().clear();
            return null;
        });
    }

    @Override
    public void registerCustomActivity(String typeName, String url) {
        if (typeName == null || typeName.isBlank() || url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw invalid("Give \"type\" (the activity's class name) and \"url\" (http or https).");
        }
        call(() -> {
            runtime().workflows().customActivities().register(typeName, url);
            return null;
        });
    }

    @Override
    public void setPassword(String userName, String password) {
        setSecret(() -> runtime().principals().byUserName(userName), password);
    }

    @Override
    public void setClientSecret(String clientId, String secret) {
        UUID id;
        try {
            id = UUID.fromString(clientId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("Not a valid GUID.");
        }
        setSecret(() -> runtime().principals().byApplicationId(id), secret);
    }

    private void setSecret(Supplier<Optional<Entity>> principal, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw invalid("Give \"secret\" (or \"password\") and one of \"systemuserid\", \"username\", \"clientId\".");
        }
        call(() -> {
            Entity user = principal.get().orElseThrow(() -> new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "No such user or application user."));
            runtime().credentials().set(user.id(), secret);
            return null;
        });
    }

    /** Runs a call on the runtime; a fault it raises becomes the refusal the HTTP route would answer. */
    private static <T> T call(Supplier<T> task) {
        try {
            return task.get();
        } catch (DataverseFault f) {
            throw new AdminException(f.httpStatus(), f.code().hex(), f.getMessage());
        }
    }

    private static AdminException invalid(String message) {
        return new AdminException(ErrorCode.INVALID_ARGUMENT.httpStatus(), ErrorCode.INVALID_ARGUMENT.hex(), message);
    }
}
