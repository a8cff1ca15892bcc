package dev.dve.server.throttling;

import java.time.Duration;

/**
 * Dataverse's service protection limits, per user, each off when zero (or null): requests and combined execution time
 * within a sliding 5-minute window, and requests under way at once. Dataverse's defaults are 6 000 requests, 20 minutes
 * and 52.
 *
 * @param requests      requests a user may send within the window
 * @param concurrent    requests of a user that may be under way at once
 * @param executionTime how long a user's requests may run in total within the window
 */
public record ServiceProtectionLimits(int requests, int concurrent, Duration executionTime) {
    /** The sliding window the request and execution-time limits are measured over. */
    public static final Duration WINDOW = Duration.ofSeconds(300);
    /** The figures Dataverse documents (and writes in its messages when no limit of the emulator's is set). */
    public static final ServiceProtectionLimits DATAVERSE = new ServiceProtectionLimits(6000, 52, Duration.ofMinutes(20));

    public ServiceProtectionLimits {
        if (requests < 0 || concurrent < 0 || executionTime != null && executionTime.isNegative()) {
            throw new IllegalArgumentException("Service protection limits cannot be negative");
        }
        if (executionTime != null && executionTime.isZero()) {
            executionTime = null;
        }
    }

    /** Whether any limit is on. */
    public boolean any() {
        return requests > 0 || concurrent > 0 || executionTime != null;
    }
}
