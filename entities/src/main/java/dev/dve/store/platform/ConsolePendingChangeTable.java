package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code dve_console_pending_change}: an edit the console saved for a running workflow (Dataverse refuses changes to an
 * activated definition), applied when the workflow is next started. One row per workflow, shared by every node.
 */
public final class ConsolePendingChangeTable extends PlatformTable {

    /** The name, description and XAML a workflow is to have once it is started again, who asked and when. */
    public record PendingChange(UUID workflowId, String name, String description, String xaml, UUID changedBy, Instant changedOn) {
    }

    public ConsolePendingChangeTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_console_pending_change", columns(database), "workflowid");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("workflowid", database.dialect().guidType() + " NOT NULL");
        cols.put("name", "VARCHAR(400)");
        cols.put("description", database.dialect().largeTextType());
        cols.put("xaml", database.dialect().largeTextType());
        cols.put("changedby", database.dialect().guidType());
        cols.put("changedon", database.dialect().timestampType());
        return cols;
    }

    /** Stores the change, replacing the one the workflow had (in the caller's transaction when there is one). */
    public void put(PendingChange change) {
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("workflowid") + " = ?")) {
                del.setString(1, change.workflowId().toString());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("workflowid") + ", " + q("name") + ", "
                    + q("description") + ", " + q("xaml") + ", " + q("changedby") + ", " + q("changedon") + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, change.workflowId().toString());
                ins.setString(2, change.name());
                ins.setString(3, change.description());
                ins.setString(4, change.xaml());
                ins.setString(5, change.changedBy() == null ? null : change.changedBy().toString());
                ins.setObject(6, change.changedOn() == null ? null : LocalDateTime.ofInstant(change.changedOn(), ZoneOffset.UTC));
                ins.executeUpdate();
            }
            return null;
        });
    }

    public Optional<PendingChange> get(UUID workflowId) {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("name") + ", " + q("description") + ", " + q("xaml") + ", "
                    + q("changedby") + ", " + q("changedon") + " FROM " + q(table) + " WHERE " + q("workflowid") + " = ?")) {
                ps.setString(1, workflowId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    String by = rs.getString(4);
                    LocalDateTime on = rs.getObject(5, LocalDateTime.class);
                    return new PendingChange(workflowId, rs.getString(1), rs.getString(2), rs.getString(3),
                            by == null ? null : UUID.fromString(by.trim()), on == null ? null : on.toInstant(ZoneOffset.UTC));
                }
            }
        }));
    }

    /** Forgets the workflow's change (applied, or replaced by a direct edit); false when it had none. */
    public boolean remove(UUID workflowId) {
        return database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("workflowid") + " = ?")) {
                del.setString(1, workflowId.toString());
                return del.executeUpdate() > 0;
            }
        });
    }

    public void clear() {
        deleteAll();
    }
}
