package dev.dve.engine.async;

import java.time.Duration;

/**
 * Hears what a node's async service does, for whoever measures it (the server's metrics), so the runner itself needs
 * no metrics library. Called on the worker's thread after the fact; an observer must be quick and must not throw.
 */
public interface JobObserver {
    /** Hears nothing. */
    JobObserver NONE = new JobObserver() {
    };

    /**
     * A job of this operation type was claimed by this node, {@code sinceDue} after it became due by the emulator clock
     * (its {@code postponeuntil} when it had one, else its {@code createdon}); never negative.
     */
    default void claimed(int operationType, Duration sinceDue) {
    }

    /** A run of a job of this operation type ended with this outcome label ({@code succeeded}, {@code retrying} …) after {@code ran} of real time. */
    default void settled(int operationType, String outcome, Duration ran) {
    }
}
