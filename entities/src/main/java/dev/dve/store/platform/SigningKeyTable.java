package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code dve_signing_key}: the one RSA key pair tokens are signed with (Base64 DER), first node to store one wins. */
public final class SigningKeyTable extends PlatformTable {

    /** The stored key: its id, PKCS#8 private key and X.509 public key, Base64. */
    public record StoredKey(String keyId, String privateKey, String publicKey) {
        @Override
        public String toString() {
            return "StoredKey[" + keyId + "]";
        }
    }

    public SigningKeyTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_signing_key", columns(database), "id");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("kid", "VARCHAR(64) NOT NULL");
        cols.put("private_key", database.dialect().largeTextType() + " NOT NULL");
        cols.put("public_key", database.dialect().largeTextType() + " NOT NULL");
        return cols;
    }

    public Optional<StoredKey> load() {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("kid") + ", " + q("private_key") + ", " + q("public_key")
                    + " FROM " + q(table) + " WHERE " + q("id") + " = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        }));
    }

    /**
     * Stores the key unless one is stored already, and answers the key stored now: this one, or the one another node
     * stored first. Only a taken row means another node won; any other failure propagates.
     */
    public StoredKey storeFirst(StoredKey key) {
        boolean inserted = database.inNewTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(table) + " (" + q("id") + ", " + q("kid") + ", "
                    + q("private_key") + ", " + q("public_key") + ") VALUES (1, ?, ?, ?)")) {
                ps.setString(1, key.keyId());
                ps.setString(2, key.privateKey());
                ps.setString(3, key.publicKey());
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (database.dialect().isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
        return inserted ? key : load().orElseThrow(() -> new IllegalStateException("The stored signing key vanished while it was being read"));
    }

}
