package dev.dve.engine.clock;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.ClockTable;

/** Keeps the clock's state in the database ({@link ClockTable}), so every node sharing it reads the same time. */
public final class ClockStore {
    private final ClockTable table;

    public ClockStore(Database database, SchemaBuilder schema) {
        this.table = new ClockTable(database, schema);
    }

    /** The stored state; a running clock without offset when none was stored. */
    public EmulatorClock.ClockState load() {
        return table.load().map(r -> new EmulatorClock.ClockState(r.frozenAt(), r.offsetMillis()))
                .orElse(new EmulatorClock.ClockState(null, 0));
    }

    public void save(EmulatorClock.ClockState s) {
        table.save(new ClockTable.Row(s.frozenAt(), s.offsetMillis()));
    }
}
