package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTPS certificate every node on one database serves, kept in {@code dve_tls_certificate} (one row): the first
 * node to store one wins, the others read it. A renewal replaces the row only if it still holds the version the node
 * read, so two nodes renewing at once end up serving the same one.
 */
public final class TlsCertificateTable {
    private static final String TABLE = "dve_tls_certificate";
    private static final int ROW = 1;
    private final Database database;
    private final SqlDialect d;

    /** A stored certificate (PEM, possibly a chain) and its private key (PEM), with the row version it was read at. */
    public record Stored(String certificatePem, String privateKeyPem, int version) {
        @Override
        public String toString() {
            // the key stays out of logs
            return "Stored[version=" + version + "]";
        }
    }

    public TlsCertificateTable(Database database, SchemaBuilder schema) {
        this.database = database;
        this.d = database.dialect();
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("version", "INT NOT NULL");
        cols.put("certificate", d.largeTextType() + " NOT NULL");
        cols.put("private_key", d.largeTextType() + " NOT NULL");
        cols.put("storedon", d.timestampType() + " NOT NULL");
        schema.ensureTable(TABLE, cols, "id");
    }

    private String q(String identifier) {
        return d.quote(identifier);
    }

    /** The stored certificate, if a node stored one. */
    public Optional<Stored> load() {
        return database.inNewTransaction(this::load);
    }

    private Optional<Stored> load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("certificate") + ", " + q("private_key") + ", " + q("version")
                + " FROM " + q(TABLE) + " WHERE " + q("id") + " = ?")) {
            ps.setInt(1, ROW);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
            }
        }
    }

    /**
     * Stores the certificate unless one is stored already, and answers the one that is stored now: this one, or the
     * one another node stored first. Only a unique-key conflict means another node won; any other failure propagates.
     */
    public Stored storeFirst(String certificatePem, String privateKeyPem, Instant now) {
        boolean inserted = database.inNewTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(TABLE) + " (" + q("id") + ", " + q("version") + ", "
                    + q("certificate") + ", " + q("private_key") + ", " + q("storedon") + ") VALUES (?, ?, ?, ?, ?)")) {
                ps.setInt(1, ROW);
                ps.setInt(2, 1);
                ps.setString(3, certificatePem);
                ps.setString(4, privateKeyPem);
                ps.setObject(5, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (d.isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
        if (inserted) {
            return new Stored(certificatePem, privateKeyPem, 1);
        }
        return load().orElseThrow(() -> new IllegalStateException("The stored TLS certificate vanished while it was being read"));
    }

    /**
     * Replaces the certificate read at {@code expectedVersion} with a new one, and answers the one stored now: this
     * one, or the one another node replaced it with first (zero rows updated means that node won).
     */
    public Stored replace(int expectedVersion, String certificatePem, String privateKeyPem, Instant now) {
        int updated = database.inNewTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(TABLE) + " SET " + q("version") + " = ?, " + q("certificate") + " = ?, "
                    + q("private_key") + " = ?, " + q("storedon") + " = ? WHERE " + q("id") + " = ? AND " + q("version") + " = ?")) {
                ps.setInt(1, expectedVersion + 1);
                ps.setString(2, certificatePem);
                ps.setString(3, privateKeyPem);
                ps.setObject(4, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setInt(5, ROW);
                ps.setInt(6, expectedVersion);
                return ps.executeUpdate();
            }
        });
        if (updated == 1) {
            return new Stored(certificatePem, privateKeyPem, expectedVersion + 1);
        }
        return load().orElseThrow(() -> new IllegalStateException("The stored TLS certificate vanished while it was being replaced"));
    }
}
