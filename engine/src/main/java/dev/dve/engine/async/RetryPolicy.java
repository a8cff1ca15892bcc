package dev.dve.engine.async;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a job that failed with a transient error waits before its next attempt: {@code base × factor^retrycount},
 * rounded to the second (36, 43, 52, 62, 75 s by default), and no further attempt after {@code maxRetries}.
 */
public record RetryPolicy(Duration base, double factor, int maxRetries) {
    public static final RetryPolicy DATAVERSE = new RetryPolicy(Duration.ofSeconds(36), 1.2, 5);

    public RetryPolicy {
        if (base == null || base.isNegative() || factor < 1 || maxRetries < 0) {
            throw new IllegalArgumentException("retry policy needs a base ≥ 0, a factor ≥ 1 and maxRetries ≥ 0");
        }
    }

    /** The wait before the attempt after {@code retryCount} earlier retries, or empty when the job must be suspended. */
    public Optional<Duration> delay(int retryCount) {
        if (retryCount >= maxRetries) {
            return Optional.empty();
        }
        double seconds = base.toMillis() / 1000.0 * Math.pow(factor, retryCount);
        return Optional.of(Duration.ofSeconds(Math.round(seconds)));
    }
}
