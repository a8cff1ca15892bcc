package dev.dve.junit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The emulated organization's clock, every timestamp the platform writes comes from ({@code createdon}, job times):
 * a test freezes it, sets it and moves it forward through the admin API.
 */
public final class OrganizationClock {
    private final Admin admin;

    public OrganizationClock(Admin admin) {
        this.admin = admin;
    }

    public Instant now() {
        return admin.clock().now();
    }

    public boolean isFrozen() {
        return admin.clock().frozen();
    }

    /** Stops time where it is (true) or lets it run on from there (false). */
    public Instant freeze(boolean frozen) {
        return admin.freezeClock(frozen).now();
    }

    /** Stops time at {@code instant}. */
    public Instant freezeAt(Instant instant) {
        admin.freezeClock(true);
        return admin.setClock(instant).now();
    }

    /** Moves the clock to {@code instant}; a frozen clock stays frozen, a running one runs on from there. */
    public Instant set(Instant instant) {
        return admin.setClock(instant).now();
    }

    /** Moves the clock forward; system jobs parked until then become due. */
    public Instant advance(Duration duration) {
        return admin.advanceClock(duration).now();
    }

    /** A {@link java.time.Clock} reading the emulator's time, for code under test that takes one. */
    public Clock asJavaClock() {
        return new EmulatorTime(ZoneOffset.UTC);
    }

    private final class EmulatorTime extends Clock {
        private final ZoneId zone;

        EmulatorTime(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new EmulatorTime(z);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
