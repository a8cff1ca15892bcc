package dev.dve.server.throttling;

import dev.dve.fault.ErrorCode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The service protection limits of the Web API, counted per user on this node. Dataverse evaluates them per web server
 * (a user's requests spread over several servers each get the full limits there), so counters in this node's memory are
 * the faithful model, and they are not shared through the database. Windows slide by the emulator clock, so a test
 * advances the clock instead of waiting; execution time is measured in real time.
 */
public final class ServiceProtection {
    private final ServiceProtectionLimits limits;
    /** The limits the messages of injected faults name: the ones set, Dataverse's for the rest. */
    private final ServiceProtectionLimits named;
    private final dev.dve.store.InjectedFaults injected;
    private final Supplier<Instant> clock;
    private final LongSupplier nanoTime;
    private final Map<UUID, UserWindow> users = new ConcurrentHashMap<>();

    /**
     * @param injected the faults a test injected ({@code POST /admin/faults}); null: none are looked for
     * @param clock    the emulator clock (window positions)
     * @param nanoTime a monotonic real-time source (how long a request ran)
     */
    public ServiceProtection(ServiceProtectionLimits limits, dev.dve.store.InjectedFaults injected, Supplier<Instant> clock, LongSupplier nanoTime) {
        this.limits = limits == null ? new ServiceProtectionLimits(0, 0, null) : limits;
        ServiceProtectionLimits d = ServiceProtectionLimits.DATAVERSE;
        this.named = new ServiceProtectionLimits(this.limits.requests() > 0 ? this.limits.requests() : d.requests(),
                this.limits.concurrent() > 0 ? this.limits.concurrent() : d.concurrent(),
                this.limits.executionTime() != null ? this.limits.executionTime() : d.executionTime());
        this.injected = injected;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    public ServiceProtectionLimits limits() {
        return limits;
    }

    /** One admitted request: closing it ends the request (it is no longer concurrent; its execution time counts). */
    public interface Admission extends AutoCloseable {
        /** Requests the user may still send in the window; -1 when that limit is off. */
        int remainingRequests();

        @Override
        void close();
    }

    private static final Admission UNLIMITED = new Admission() {
        @Override
        public int remainingRequests() {
            return -1;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Admits a request of the user, or throws the 429 of an injected fault or of the first limit passed: concurrency first (Dataverse refuses
     * that at once), then the number of requests, then the execution time within the window.
     */
    public Admission admit(UUID user) {
        if (injected != null) {
            dev.dve.store.InjectedFaults.Fault f = injected.consumeServiceProtection(user);
            if (f != null) {
                ErrorCode code = ServiceProtectionFault.code(f.errorCode()).orElse(ErrorCode.SERVICE_PROTECTION_REQUESTS);
                throw new ServiceProtectionFault(code, ServiceProtectionFault.message(code, named),
                        Duration.ofSeconds(f.retryAfter() == null ? 1 : f.retryAfter()));
            }
        }
        if (!limits.any()) {
            return UNLIMITED;
        }
        UserWindow w = users.computeIfAbsent(user, u -> new UserWindow());
        Instant now = clock.get();
        int remaining;
        synchronized (w) {
            w.slide(now.minus(ServiceProtectionLimits.WINDOW));
            if (limits.concurrent() > 0 && w.inFlight >= limits.concurrent()) {
                throw fault(ErrorCode.SERVICE_PROTECTION_CONCURRENCY, Duration.ofSeconds(1));
            }
            if (limits.requests() > 0 && w.requests.size() >= limits.requests()) {
                throw fault(ErrorCode.SERVICE_PROTECTION_REQUESTS, Duration.between(now, w.requests.peekFirst().plus(ServiceProtectionLimits.WINDOW)));
            }
            if (limits.executionTime() != null && w.executionNanos > limits.executionTime().toNanos()) {
                throw fault(ErrorCode.SERVICE_PROTECTION_EXECUTION_TIME, w.untilExecutionBelow(limits.executionTime().toNanos(), now));
            }
            w.requests.addLast(now);
            w.inFlight++;
            remaining = limits.requests() > 0 ? limits.requests() - w.requests.size() : -1;
        }
        long started = nanoTime.getAsLong();
        return new Admission() {
            private boolean closed;

            @Override
            public int remainingRequests() {
                return remaining;
            }

            @Override
            public void close() {
                long ran = nanoTime.getAsLong() - started;
                synchronized (w) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    w.inFlight--;
                    w.executions.addLast(new Execution(clock.get(), ran));
                    w.executionNanos += ran;
                }
            }
        };
    }

    private ServiceProtectionFault fault(ErrorCode code, Duration retryAfter) {
        return new ServiceProtectionFault(code, ServiceProtectionFault.message(code, limits), retryAfter.isNegative() ? Duration.ZERO : retryAfter);
    }

    /** Forgets every window (the admin API's reset). Requests under way finish normally. */
    public void clear() {
        for (UserWindow w : users.values()) {
            synchronized (w) {
                w.requests.clear();
                w.executions.clear();
                w.executionNanos = 0;
            }
        }
    }

    private record Execution(Instant endedAt, long nanos) {
    }

    /** One user's requests and executions within the window, and the requests under way. */
    private static final class UserWindow {
        final Deque<Instant> requests = new ArrayDeque<>();
        final Deque<Execution> executions = new ArrayDeque<>();
        long executionNanos;
        int inFlight;

        void slide(Instant windowStart) {
            while (!requests.isEmpty() && !requests.peekFirst().isAfter(windowStart)) {
                requests.removeFirst();
            }
            while (!executions.isEmpty() && !executions.peekFirst().endedAt().isAfter(windowStart)) {
                executionNanos -= executions.removeFirst().nanos();
            }
        }

        /** How long until enough executions leave the window for the total to be within the limit again. */
        Duration untilExecutionBelow(long limitNanos, Instant now) {
            long total = executionNanos;
            for (Execution e : executions) {
                total -= e.nanos();
                if (total <= limitNanos) {
                    return Duration.between(now, e.endedAt().plus(ServiceProtectionLimits.WINDOW));
                }
            }
            return ServiceProtectionLimits.WINDOW;
        }
    }
}
