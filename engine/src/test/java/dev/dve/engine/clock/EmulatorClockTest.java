package dev.dve.engine.clock;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's one clock: set, advanced, frozen, and shared by the nodes of one database. */
class EmulatorClockTest {
    /** The machine's clock, moved by hand. */
    private static final class MachineClock extends Clock {
        private Instant now;

        MachineClock(Instant start) {
            this.now = start;
        }

        void pass(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final Instant START = Instant.parse("2024-05-01T08:00:00.123456789Z");
    private final MachineClock machine = new MachineClock(START);
    private final EmulatorClock clock = new EmulatorClock(machine);
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void runningItFollowsTheMachineToTheMillisecond() {
        assertEquals(Instant.parse("2024-05-01T08:00:00.123Z"), clock.now());
        machine.pass(Duration.ofSeconds(5));
        assertEquals(Instant.parse("2024-05-01T08:00:05.123Z"), clock.now());
        assertFalse(clock.isFrozen());
    }

    @Test
    void advancedItStaysAheadAndKeepsRunning() {
        clock.advance(Duration.ofDays(3));
        assertEquals(Instant.parse("2024-05-04T08:00:00.123Z"), clock.now());
        machine.pass(Duration.ofMinutes(1));
        assertEquals(Instant.parse("2024-05-04T08:01:00.123Z"), clock.now());
    }

    @Test
    void itNeverGoesBackByAdvancing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("cannot go back"), e.getMessage());
        assertEquals(Instant.parse("2024-05-01T08:00:00.123Z"), clock.now());
        clock.advance(Duration.ZERO);
        assertEquals(Instant.parse("2024-05-01T08:00:00.123Z"), clock.now());
    }

    @Test
    void setItRunsOnFromTheInstantGiven() {
        clock.set(Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), clock.now());
        machine.pass(Duration.ofSeconds(2));
        assertEquals(Instant.parse("2030-01-01T00:00:02Z"), clock.now());
        // setting may go back: a test rewinds to a date it needs
        clock.set(Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), clock.now());
    }

    @Test
    void frozenItStandsStillUntilAdvancedOrSet() {
        clock.freeze(true);
        assertTrue(clock.isFrozen());
        Instant frozen = clock.now();
        machine.pass(Duration.ofHours(1));
        assertEquals(frozen, clock.now());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(frozen.plus(Duration.ofMinutes(10)), clock.now());
        clock.set(Instant.parse("2031-02-03T04:05:06Z"));
        machine.pass(Duration.ofHours(1));
        assertEquals(Instant.parse("2031-02-03T04:05:06Z"), clock.now());
        assertTrue(clock.isFrozen(), "setting keeps it frozen");
    }

    @Test
    void unfrozenItRunsOnFromWhereItStoodWithoutJumping() {
        clock.freeze(true);
        Instant frozen = clock.now();
        machine.pass(Duration.ofHours(1));
        clock.freeze(false);
        assertEquals(frozen, clock.now(), "no jump by the hour that passed while frozen");
        machine.pass(Duration.ofSeconds(3));
        assertEquals(frozen.plusSeconds(3), clock.now());
        clock.freeze(false);
        assertEquals(frozen.plusSeconds(3), clock.now(), "unfreezing a running clock changes nothing");
    }

    @Test
    void freezingTwiceKeepsTheFirstInstant() {
        clock.freeze(true);
        Instant frozen = clock.now();
        machine.pass(Duration.ofMinutes(5));
        clock.freeze(true);
        assertEquals(frozen, clock.now());
    }

    @Test
    void resetGoesBackToTheMachinesTimeRunning() {
        clock.advance(Duration.ofDays(10));
        clock.freeze(true);
        clock.reset();
        assertFalse(clock.isFrozen());
        assertEquals(Instant.parse("2024-05-01T08:00:00.123Z"), clock.now());
    }

    @Test
    void itsStateRestoresTheSameTimeOnAnotherClock() {
        clock.advance(Duration.ofDays(2));
        EmulatorClock other = new EmulatorClock(machine);
        other.restore(clock.state());
        assertEquals(clock.now(), other.now());
        clock.freeze(true);
        other.restore(clock.state());
        assertTrue(other.isFrozen());
        machine.pass(Duration.ofMinutes(1));
        assertEquals(clock.now(), other.now());
    }

    private ClockStore store() {
        if (database == null) {
            database = new Database(DatabaseConfig.inMemoryH2("clock-" + UUID.randomUUID()));
        }
        MetadataCatalog catalog = new MetadataLoader().load(List.of());
        return new ClockStore(database, new SchemaBuilder(catalog, database));
    }

    @Test
    void anEmptyStoreIsTheMachinesTimeRunning() {
        assertEquals(new EmulatorClock.ClockState(null, 0), store().load());
    }

    @Test
    void twoNodesOnOneDatabaseAgreeAfterAnAdvance() {
        ClockStore first = store();
        ClockStore second = store();
        EmulatorClock other = new EmulatorClock(machine);
        other.restore(second.load());

        clock.advance(Duration.ofDays(1).plusMillis(250));
        first.save(clock.state());
        assertTrue(other.now().isBefore(clock.now()), "not yet refreshed");
        other.restore(second.load());
        assertEquals(clock.now(), other.now());

        machine.pass(Duration.ofSeconds(30));
        assertEquals(clock.now(), other.now(), "both keep running together");
    }

    @Test
    void twoNodesOnOneDatabaseAgreeOnAFrozenInstant() {
        ClockStore first = store();
        ClockStore second = store();
        clock.freeze(true);
        clock.set(Instant.parse("2031-02-03T04:05:06.789Z"));
        first.save(clock.state());
        EmulatorClock other = new EmulatorClock(machine);
        other.restore(second.load());
        assertTrue(other.isFrozen());
        assertEquals(Instant.parse("2031-02-03T04:05:06.789Z"), other.now());
        // unfrozen again on the first node: the second runs on too
        clock.freeze(false);
        first.save(clock.state());
        other.restore(second.load());
        assertFalse(other.isFrozen());
        machine.pass(Duration.ofSeconds(1));
        assertEquals(clock.now(), other.now());
    }

    @Test
    void anInstantFinerThanAMillisecondReadsTheSameOnEveryNode() {
        ClockStore first = store();
        ClockStore second = store();
        clock.freeze(true);
        clock.set(Instant.parse("2031-02-03T04:05:06.789900Z"));
        first.save(clock.state());
        EmulatorClock other = new EmulatorClock(machine);
        other.restore(second.load());
        assertEquals(clock.now(), other.now());
        assertEquals(clock.state(), other.state(), "the node that set it sees no change when it next reads the store");
    }

    @Test
    void theLastSaveWins() {
        ClockStore first = store();
        clock.advance(Duration.ofDays(1));
        first.save(clock.state());
        clock.reset();
        first.save(clock.state());
        assertEquals(new EmulatorClock.ClockState(null, 0), store().load());
    }
}
