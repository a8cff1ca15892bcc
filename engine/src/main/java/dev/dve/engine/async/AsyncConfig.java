package dev.dve.engine.async;

import java.time.Duration;

/**
 * How a node's async service runs.
 *
 * @param workers      background workers on this node; 0 runs none (tests drive jobs with run-until-idle)
 * @param lease        how long a claimed job stays this node's without a heartbeat (real time) before another node takes it over
 * @param pollInterval how often idle workers look for due jobs (real time); advancing the clock wakes them at once
 * @param retry        the back-off of transient failures
 * @param maxDepth     jobs deeper than this fail as an infinite loop
 */
public record AsyncConfig(int workers, Duration lease, Duration pollInterval, RetryPolicy retry, int maxDepth) {
    public static final int DEFAULT_WORKERS = 4;

    public AsyncConfig {
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be 0 or more");
        }
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        retry = retry == null ? RetryPolicy.DATAVERSE : retry;
        maxDepth = maxDepth <= 0 ? 8 : maxDepth;
    }

    public static AsyncConfig withWorkers(int workers) {
        return new AsyncConfig(workers, null, null, null, 0);
    }

    public AsyncConfig withLease(Duration d) {
        return new AsyncConfig(workers, d, pollInterval, retry, maxDepth);
    }

    public AsyncConfig withRetry(RetryPolicy r) {
        return new AsyncConfig(workers, lease, pollInterval, r, maxDepth);
    }
}
