package dev.dve.engine.clock;

import dev.dve.store.Database;
import dev.dve.store.JdbcValues;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps the clock's state in the database, so every node sharing it reads the same time. */
public final class ClockStore {
    private static final String TABLE = "dve_clock";
    private final Database database;

    public ClockStore(Database database, SchemaBuilder schema) {
        this.database = database;
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("frozen_at", database.dialect().timestampType());
        cols.put("offset_ms", "BIGINT NOT NULL");
        schema.ensureTable(TABLE, cols, "id");
    }

    public EmulatorClock.ClockState load() {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("frozen_at") + ", " + q("offset_ms") + " FROM " + q(TABLE) + " WHERE " + q("id") + " = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new EmulatorClock.ClockState(null, 0);
                }
                LocalDateTime f = rs.getObject(1, LocalDateTime.class);
                return new EmulatorClock.ClockState(f == null ? null : f.toInstant(ZoneOffset.UTC), rs.getLong(2));
            }
        });
    }

    public void save(EmulatorClock.ClockState s) {
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(TABLE) + " WHERE " + q("id") + " = 1")) {
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(TABLE) + " (" + q("id") + ", " + q("frozen_at") + ", " + q("offset_ms") + ") VALUES (1, ?, ?)")) {
                ins.setObject(1, JdbcValues.toJdbc(s.frozenAt()));
                ins.setLong(2, s.offsetMillis());
                ins.executeUpdate();
            }
            return null;
        });
    }

    private String q(String id) {
        return database.dialect().quote(id);
    }
}
