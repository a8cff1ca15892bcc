package dev.dve.server.throttling;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;

import java.time.Duration;

/** A 429 service protection answer: one of the three codes, and how long the client should wait ({@code Retry-After}). */
public final class ServiceProtectionFault extends DataverseFault {
    private final Duration retryAfter;

    public ServiceProtectionFault(ErrorCode code, String message, Duration retryAfter) {
        super(code, message);
        this.retryAfter = retryAfter;
    }

    /** The {@code Retry-After} value: whole seconds, at least one. */
    public long retryAfterSeconds() {
        long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    /** The three service protection codes. */
    public static final java.util.List<ErrorCode> CODES = java.util.List.of(ErrorCode.SERVICE_PROTECTION_REQUESTS,
            ErrorCode.SERVICE_PROTECTION_EXECUTION_TIME, ErrorCode.SERVICE_PROTECTION_CONCURRENCY);

    /** The service protection code written as {@code 0x80072322}, or empty. */
    public static java.util.Optional<ErrorCode> code(String hex) {
        return CODES.stream().filter(c -> c.hex().equalsIgnoreCase(hex)).findFirst();
    }

    /** Dataverse's message for a code, naming the limit that was passed. */
    public static String message(ErrorCode code, ServiceProtectionLimits limits) {
        return switch (code) {
            case SERVICE_PROTECTION_REQUESTS -> "Number of requests exceeded the limit of " + limits.requests()
                    + " over time window of " + ServiceProtectionLimits.WINDOW.toSeconds() + " seconds.";
            case SERVICE_PROTECTION_EXECUTION_TIME -> "Combined execution time of incoming requests exceeded limit of "
                    + String.format(java.util.Locale.US, "%,d", limits.executionTime().toMillis()) + " milliseconds over time window of "
                    + ServiceProtectionLimits.WINDOW.toSeconds() + " seconds. Decrease number of concurrent requests or reduce the duration"
                    + " of requests and try again later.";
            case SERVICE_PROTECTION_CONCURRENCY -> "Number of concurrent requests exceeded the limit of " + limits.concurrent() + ".";
            default -> throw new IllegalArgumentException(code + " is not a service protection code");
        };
    }
}
