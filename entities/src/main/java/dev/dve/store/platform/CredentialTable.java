package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code dve_credential}: a principal's salted secret hash. */
public final class CredentialTable extends PlatformTable {

    /** A stored secret: its salt and hash, as the caller computed them. */
    public record Hashed(String salt, String hash) {
    }

    public CredentialTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_credential", columns(database), "principalid");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("principalid", database.dialect().guidType() + " NOT NULL");
        cols.put("salt", "VARCHAR(64) NOT NULL");
        cols.put("hash", "VARCHAR(128) NOT NULL");
        return cols;
    }

    public Optional<Hashed> find(UUID principalId) {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("salt") + ", " + q("hash") + " FROM " + q(table) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Hashed(rs.getString(1), rs.getString(2)) : null;
                }
            }
        }));
    }

    /** Stores the principal's secret, replacing the one it had. */
    public void replace(UUID principalId, Hashed secret) {
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("principalid") + " = ?")) {
                del.setString(1, principalId.toString());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("principalid") + ", " + q("salt") + ", " + q("hash") + ") VALUES (?, ?, ?)")) {
                ins.setString(1, principalId.toString());
                ins.setString(2, secret.salt());
                ins.setString(3, secret.hash());
                ins.executeUpdate();
            }
            return null;
        });
    }

    public void clear() {
        deleteAll();
    }

}
