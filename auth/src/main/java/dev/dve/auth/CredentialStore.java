package dev.dve.auth;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Passwords of users and client secrets of application users, salted and hashed in a table of the platform's
 * own (never an entity, never readable through the Web API). A principal without a stored credential signs in
 * with the default one of its kind, so users added later work without a setup step.
 */
public final class CredentialStore {
    public static final String DEFAULT_PASSWORD = "Passw0rd!";
    public static final String DEFAULT_CLIENT_SECRET = "emulator-admin-secret";
    private static final String TABLE = "dve_credential";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database database;

    public CredentialStore(Database database, SchemaBuilder schema) {
        this.database = database;
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("principalid", database.dialect().guidType() + " NOT NULL");
        cols.put("salt", "VARCHAR(64) NOT NULL");
        cols.put("hash", "VARCHAR(128) NOT NULL");
        schema.ensureTable(TABLE, cols, "principalid");
    }

    /** Sets (or replaces) the secret of a user or application user. */
    public void set(UUID principalId, String secret) {
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = Base64.getEncoder().encodeToString(saltBytes);
        String hash = hash(salt, secret);
        database.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + q(TABLE) + " WHERE " + q("principalid") + " = ?")) {
                del.setString(1, principalId.toString());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(TABLE) + " (" + q("principalid") + ", " + q("salt") + ", " + q("hash") + ") VALUES (?, ?, ?)")) {
                ins.setString(1, principalId.toString());
                ins.setString(2, salt);
                ins.setString(3, hash);
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** Whether the secret is the principal's: its stored one, or the default when none is stored. */
    public boolean verify(UUID principalId, String secret, boolean application) {
        if (secret == null) {
            return false;
        }
        String[] stored = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("salt") + ", " + q("hash") + " FROM " + q(TABLE) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new String[]{rs.getString(1), rs.getString(2)} : null;
                }
            }
        });
        if (stored == null) {
            return MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                    (application ? DEFAULT_CLIENT_SECRET : DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        }
        return MessageDigest.isEqual(hash(stored[0], secret).getBytes(StandardCharsets.UTF_8), stored[1].getBytes(StandardCharsets.UTF_8));
    }

    /** Forgets every stored credential (reset to fixtures). */
    public void clear() {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(TABLE))) {
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String hash(String salt, String secret) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest((salt + ":" + secret).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 10_000; i++) {
                h = md.digest(h);
            }
            return Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String q(String id) {
        return database.dialect().quote(id);
    }
}
