package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code dve_security_stamp}: one row every node shares, whose value changes — in the writing transaction — whenever a
 * row the security model reads (users, teams, roles, privileges, their links, business units) changes. A node may keep
 * what it computed from those rows for as long as the stamp it read with them is still the stamp. A new stamp is a
 * new random value, so the stamp of a rolled-back write never comes back.
 */
public final class SecurityStampTable extends PlatformTable {
    public SecurityStampTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_security_stamp", columns(), "id");
        database.inTransaction(c -> {
            if (read(c) == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("id") + ", " + q("stamp") + ") VALUES (1, ?)")) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // a duplicate key (SQLSTATE class 23): another node inserted the row first, and its stamp serves as well
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    private static Map<String, String> columns() {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("stamp", "VARCHAR(36) NOT NULL");
        return cols;
    }

    /** The current stamp, as the connection's transaction sees it. */
    public String read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("stamp") + " FROM " + q(table) + " WHERE " + q("id") + " = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A new stamp, written in the connection's transaction (undone with it). */
    public void change(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(table) + " SET " + q("stamp") + " = ? WHERE " + q("id") + " = 1")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.executeUpdate();
        }
    }
}
