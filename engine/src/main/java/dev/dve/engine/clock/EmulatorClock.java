package dev.dve.engine.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one clock every timestamp of the platform comes from. Tests freeze, set and advance it through the admin
 * API; unfrozen, it runs at the system clock's pace from wherever it was last set.
 * <p>
 * Its resolution is the millisecond, in its state too: a frozen instant and the offset from the system clock's
 * millisecond are whole milliseconds, so every node restoring the stored state (a millisecond column and count)
 * reads exactly the time of the node that changed it.
 */
public final class EmulatorClock {
    private final Clock system;
    private Instant frozenAt;
    private Duration offset = Duration.ZERO;

    public EmulatorClock(Clock system) {
        this.system = system;
    }

    public EmulatorClock() {
        this(Clock.systemUTC());
    }

    /** Now, to the millisecond. */
    public synchronized Instant now() {
        return frozenAt != null ? frozenAt : systemMillis().plus(offset);
    }

    private Instant systemMillis() {
        return system.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    public synchronized boolean isFrozen() {
        return frozenAt != null;
    }

    /** Stops time at the current instant (true) or lets it run on from there (false). */
    public synchronized void freeze(boolean freeze) {
        if (freeze && frozenAt == null) {
            frozenAt = now();
        } else if (!freeze && frozenAt != null) {
            offset = Duration.between(systemMillis(), frozenAt);
            frozenAt = null;
        }
    }

    public synchronized void set(Instant instant) {
        Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
        if (frozenAt != null) {
            frozenAt = t;
        } else {
            offset = Duration.between(systemMillis(), t);
        }
    }

    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("The clock cannot go back: " + d);
        }
        d = d.truncatedTo(ChronoUnit.MILLIS);
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(d);
        } else {
            offset = offset.plus(d);
        }
    }

    /** Back to the system clock, running. */
    public synchronized void reset() {
        frozenAt = null;
        offset = Duration.ZERO;
    }

    /** The state as stored for other nodes: the frozen instant (or null) and the offset from the system clock. */
    public synchronized ClockState state() {
        return new ClockState(frozenAt, offset.toMillis());
    }

    public synchronized void restore(ClockState s) {
        frozenAt = s.frozenAt() == null ? null : s.frozenAt().truncatedTo(ChronoUnit.MILLIS);
        offset = Duration.ofMillis(s.offsetMillis());
    }

    /** What nodes share about the clock. */
    public record ClockState(Instant frozenAt, long offsetMillis) {
    }
}
