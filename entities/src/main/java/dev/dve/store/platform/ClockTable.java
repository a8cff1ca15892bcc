package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.JdbcValues;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code dve_clock}: the emulator clock's state (frozen instant, offset from real time), one row shared by every node. */
public final class ClockTable extends PlatformTable {

    /** The stored state: the instant the clock is frozen at (null: running) and its offset from real time. */
    public record Row(Instant frozenAt, long offsetMillis) {
    }

    public ClockTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_clock", columns(database), "id");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("frozen_at", database.dialect().timestampType());
        cols.put("offset_ms", "BIGINT NOT NULL");
        return cols;
    }

    public Optional<Row> load() {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("frozen_at") + ", " + q("offset_ms") + " FROM " + q(table) + " WHERE " + q("id") + " = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                LocalDateTime f = rs.getObject(1, LocalDateTime.class);
                return new Row(f == null ? null : f.toInstant(ZoneOffset.UTC), rs.getLong(2));
            }
        }));
    }

    public void save(Row row) {
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("id") + " = 1")) {
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("id") + ", " + q("frozen_at") + ", " + q("offset_ms") + ") VALUES (1, ?, ?)")) {
                ins.setObject(1, JdbcValues.toJdbc(row.frozenAt()));
                ins.setLong(2, row.offsetMillis());
                ins.executeUpdate();
            }
            return null;
        });
    }

}
