package dev.dve.server.throttling;

import dev.dve.fault.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sliding windows and the concurrency count, with a settable clock and a settable stopwatch. */
class ServiceProtectionUnitTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T08:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    private ServiceProtection limits(int requests, int concurrent, Duration time) {
        return new ServiceProtection(new ServiceProtectionLimits(requests, concurrent, time), null, now::get, nanos::get);
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void requestsSlideOutOfTheWindowOneByOne() {
        ServiceProtection p = limits(3, 0, null);
        p.admit(alice).close();
        advance(Duration.ofSeconds(100));
        p.admit(alice).close();
        p.admit(alice).close();
        ServiceProtectionFault f = assertThrows(ServiceProtectionFault.class, () -> p.admit(alice));
        assertEquals(ErrorCode.SERVICE_PROTECTION_REQUESTS, f.code());
        assertEquals(429, f.httpStatus());
        assertEquals(200, f.retryAfterSeconds(), "the first request leaves the window 300 s after it came");
        p.admit(bob).close();
        advance(Duration.ofSeconds(200));
        p.admit(alice).close();
        assertThrows(ServiceProtectionFault.class, () -> p.admit(alice), "the other two are still in the window");
        p.clear();
        p.admit(alice).close();
    }

    @Test
    void concurrencyCountsRequestsUnderWay() {
        ServiceProtection p = limits(0, 2, null);
        ServiceProtection.Admission a = p.admit(alice);
        ServiceProtection.Admission b = p.admit(alice);
        ServiceProtectionFault f = assertThrows(ServiceProtectionFault.class, () -> p.admit(alice));
        assertEquals(ErrorCode.SERVICE_PROTECTION_CONCURRENCY, f.code());
        assertEquals("Number of concurrent requests exceeded the limit of 2.", f.getMessage());
        p.admit(bob).close();
        a.close();
        a.close();
        p.admit(alice).close();
        b.close();
    }

    @Test
    void executionTimeAddsUpUntilOverTheLimit() {
        ServiceProtection p = limits(0, 0, Duration.ofSeconds(10));
        ServiceProtection.Admission a = p.admit(alice);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        a.close();
        advance(Duration.ofSeconds(60));
        ServiceProtection.Admission b = p.admit(alice);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        b.close();
        ServiceProtectionFault f = assertThrows(ServiceProtectionFault.class, () -> p.admit(alice));
        assertEquals(ErrorCode.SERVICE_PROTECTION_EXECUTION_TIME, f.code());
        assertEquals(240, f.retryAfterSeconds(), "the first execution (ended a minute ago) leaves the window in 240 s; 6 s remain, within the limit");
        assertEquals("Combined execution time of incoming requests exceeded limit of 10,000 milliseconds over time window of 300 seconds. "
                + "Decrease number of concurrent requests or reduce the duration of requests and try again later.", f.getMessage());
        advance(Duration.ofSeconds(240));
        p.admit(alice).close();
    }

    @Test
    void noLimitsNoCounting() {
        ServiceProtection p = limits(0, 0, null);
        for (int i = 0; i < 10_000; i++) {
            p.admit(alice);
        }
        assertEquals(-1, p.admit(alice).remainingRequests());
    }
}
