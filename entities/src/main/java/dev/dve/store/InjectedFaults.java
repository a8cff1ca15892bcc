package dev.dve.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Faults a test asked for ({@code POST /admin/faults}), kept in {@code dve_fault} so every node sharing the database
 * sees the same ones: the next {@code remaining} SDK calls of background runs (of one workflow, or of all) fail with
 * {@code kind}, and a {@code kind} of {@code workflowSystemPaused} pauses the workflow system until cleared.
 */
public final class InjectedFaults {
    private static final String TABLE = "dve_fault";
    private final Database database;
    private final SqlDialect d;

    /** One injected fault. {@code workflowId} null means every workflow's calls. */
    public record Fault(UUID id, String kind, int remaining, UUID workflowId) {
    }

    public InjectedFaults(Database database, SchemaBuilder schema) {
        this.database = database;
        this.d = database.dialect();
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("faultid", d.guidType() + " NOT NULL");
        cols.put("kind", d.shortTextType() + " NOT NULL");
        cols.put("remaining", "INT NOT NULL");
        cols.put("workflowid", d.guidType());
        cols.put("createdon", d.timestampType() + " NOT NULL");
        schema.ensureTable(TABLE, cols, "faultid");
    }

    private String q(String identifier) {
        return d.quote(identifier);
    }

    public UUID add(String kind, int count, UUID workflowId) {
        UUID id = UUID.randomUUID();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(TABLE) + " (" + q("faultid") + ", " + q("kind") + ", " + q("remaining")
                    + ", " + q("workflowid") + ", " + q("createdon") + ") VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id.toString());
                ps.setString(2, kind);
                ps.setInt(3, count);
                ps.setString(4, workflowId == null ? null : workflowId.toString());
                ps.setObject(5, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return null;
        });
        return id;
    }

    public List<Fault> list() {
        return database.inTransaction(c -> {
            List<Fault> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("faultid") + ", " + q("kind") + ", " + q("remaining") + ", " + q("workflowid")
                    + " FROM " + q(TABLE) + " ORDER BY " + q("createdon"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String w = rs.getString(4);
                    out.add(new Fault(UUID.fromString(rs.getString(1).trim()), rs.getString(2), rs.getInt(3), w == null ? null : UUID.fromString(w.trim())));
                }
            }
            return out;
        });
    }

    /** Whether a fault of this kind with calls left applies (without using one up). */
    public boolean active(String kind) {
        return list().stream().anyMatch(f -> f.kind().equals(kind) && f.remaining() > 0);
    }

    /**
     * Uses up one call of the oldest fault that applies to a call of the given workflows (activation and definition
     * ids), in its own transaction so a rolled-back step still counts; answers its kind, or null when none applies.
     * Only the kinds given are considered.
     */
    public String consume(List<UUID> workflowIds, List<String> kinds) {
        return database.inNewTransaction(c -> {
            for (Fault f : list()) {
                if (f.remaining() <= 0 || !kinds.contains(f.kind()) || f.workflowId() != null && !workflowIds.contains(f.workflowId())) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(TABLE) + " SET " + q("remaining") + " = " + q("remaining")
                        + " - 1 WHERE " + q("faultid") + " = ? AND " + q("remaining") + " > 0")) {
                    ps.setString(1, f.id().toString());
                    if (ps.executeUpdate() == 1) {
                        return f.kind();
                    }
                }
            }
            return null;
        });
    }

    public void clear() {
        database.inTransaction(c -> {
            clear(c);
            return null;
        });
    }

    public void clear(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(TABLE))) {
            ps.executeUpdate();
        }
    }
}
