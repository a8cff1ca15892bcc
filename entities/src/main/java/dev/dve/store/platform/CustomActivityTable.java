package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code dve_custom_activity}: the URL each custom workflow activity type is called at, shared by every node. */
public final class CustomActivityTable extends PlatformTable {

    public CustomActivityTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_custom_activity", columns(database), "typename");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("typename", "VARCHAR(400) NOT NULL");
        cols.put("url", "VARCHAR(2000) NOT NULL");
        return cols;
    }

    /** Maps the type to the URL, replacing the URL it had. */
    public void put(String typeName, String url) {
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("typename") + " = ?")) {
                del.setString(1, typeName);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("typename") + ", " + q("url") + ") VALUES (?, ?)")) {
                ins.setString(1, typeName);
                ins.setString(2, url);
                ins.executeUpdate();
            }
            return null;
        });
    }

    public Optional<String> url(String typeName) {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("url") + " FROM " + q(table) + " WHERE " + q("typename") + " = ?")) {
                ps.setString(1, typeName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    public void clear() {
        deleteAll();
    }

}
