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
 * {@code kind}, and a {@code kind} of {@code workflowSystemPaused} pauses the workflow system until cleared. A
 * {@code kind} of {@code serviceProtection} answers the next {@code remaining} Web API requests (of one user, or of
 * anyone) with a 429 of {@code errorCode}, asking the client to wait {@code retryAfter} seconds.
 */
public final class InjectedFaults {
    private static final String TABLE = "dve_fault";
    private final Database database;
    private final SqlDialect d;

    /** The kind of an injected 429 service protection answer. */
    public static final String SERVICE_PROTECTION = "serviceProtection";

    /**
     * One injected fault. {@code workflowId} null means every workflow's calls; {@code systemUserId}, {@code errorCode}
     * and {@code retryAfter} (seconds) belong to a service protection fault ({@code systemUserId} null: any user's requests).
     */
    public record Fault(UUID id, String kind, int remaining, UUID workflowId, UUID systemUserId, String errorCode, Integer retryAfter) {
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
        cols.put("systemuserid", d.guidType());
        cols.put("errorcode", d.shortTextType());
        cols.put("retryafter", "INT");
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

    /**
     * How long a node trusts its last look at whether any 429 is injected before it looks again. Every Web API request
     * asks, so the table is read at most this often per node rather than once per request; the node that injects knows
     * at once, another node sharing the database within this time.
     */
    static final long SERVICE_PROTECTION_RECHECK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);
    private volatile boolean serviceProtectionInjected = true;
    private volatile long serviceProtectionCheckedAt = System.nanoTime() - SERVICE_PROTECTION_RECHECK_NANOS;

    /** Injects {@code count} 429 answers of {@code errorCode} for the next Web API requests (of one user, or null: of anyone). */
    public UUID addServiceProtection(int count, UUID systemUserId, String errorCode, int retryAfterSeconds) {
        serviceProtectionInjected = true;
        UUID id = UUID.randomUUID();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(TABLE) + " (" + q("faultid") + ", " + q("kind") + ", " + q("remaining")
                    + ", " + q("systemuserid") + ", " + q("errorcode") + ", " + q("retryafter") + ", " + q("createdon") + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id.toString());
                ps.setString(2, SERVICE_PROTECTION);
                ps.setInt(3, count);
                ps.setString(4, systemUserId == null ? null : systemUserId.toString());
                ps.setString(5, errorCode);
                ps.setInt(6, retryAfterSeconds);
                ps.setObject(7, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
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
                    + ", " + q("systemuserid") + ", " + q("errorcode") + ", " + q("retryafter")
                    + " FROM " + q(TABLE) + " ORDER BY " + q("createdon"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(fault(rs));
                }
            }
            return out;
        });
    }

    private static Fault fault(ResultSet rs) throws SQLException {
        String w = rs.getString(4);
        String u = rs.getString(5);
        int retry = rs.getInt(7);
        Integer retryAfter = rs.wasNull() ? null : retry;
        return new Fault(UUID.fromString(rs.getString(1).trim()), rs.getString(2), rs.getInt(3), w == null ? null : UUID.fromString(w.trim()),
                u == null ? null : UUID.fromString(u.trim()), rs.getString(6), retryAfter);
    }

    /**
     * Uses up one injected 429 that applies to a Web API request of the user (the oldest first), answering it, or null
     * when none applies. Called on every Web API request, it reads the table only while a 429 may be injected
     * (see {@link #SERVICE_PROTECTION_RECHECK_NANOS}).
     */
    public Fault consumeServiceProtection(UUID systemUserId) {
        if (!serviceProtectionMayBeInjected()) {
            return null;
        }
        return database.inNewTransaction(c -> {
            List<Fault> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("faultid") + ", " + q("kind") + ", " + q("remaining") + ", " + q("workflowid")
                    + ", " + q("systemuserid") + ", " + q("errorcode") + ", " + q("retryafter") + " FROM " + q(TABLE) + " WHERE " + q("kind")
                    + " = ? AND " + q("remaining") + " > 0 AND (" + q("systemuserid") + " IS NULL OR " + q("systemuserid") + " = ?) ORDER BY " + q("createdon"))) {
                ps.setString(1, SERVICE_PROTECTION);
                ps.setString(2, systemUserId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(fault(rs));
                    }
                }
            }
            for (Fault f : candidates) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(TABLE) + " SET " + q("remaining") + " = " + q("remaining")
                        + " - 1 WHERE " + q("faultid") + " = ? AND " + q("remaining") + " > 0")) {
                    ps.setString(1, f.id().toString());
                    if (ps.executeUpdate() == 1) {
                        return f;
                    }
                }
            }
            if (candidates.isEmpty()) {
                // none for this user: stop reading the table on every request once none is left for anyone
                serviceProtectionCheckedAt = System.nanoTime();
                serviceProtectionInjected = serviceProtectionLeft(c);
            }
            return null;
        });
    }

    /** Whether a 429 may be injected: this node injected one or last saw one, or its last look is over 250 ms old and finds one. */
    private boolean serviceProtectionMayBeInjected() {
        if (serviceProtectionInjected) {
            return true;
        }
        long now = System.nanoTime();
        if (now - serviceProtectionCheckedAt < SERVICE_PROTECTION_RECHECK_NANOS) {
            return false;
        }
        serviceProtectionCheckedAt = now;
        serviceProtectionInjected = database.inNewTransaction(this::serviceProtectionLeft);
        return serviceProtectionInjected;
    }

    /** Whether any injected 429 has answers left, for any user. */
    private boolean serviceProtectionLeft(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + q(TABLE) + " WHERE " + q("kind") + " = ? AND "
                + q("remaining") + " > 0")) {
            ps.setString(1, SERVICE_PROTECTION);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
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
