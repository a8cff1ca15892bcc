package dev.dve.auth.token;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The RSA key tokens are signed with: created at first start and kept in the database, so every node and every
 * restart issues and accepts the same tokens.
 */
public final class SigningKeys {
    private static final String TABLE = "dve_signing_key";
    private final String keyId;
    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;

    public SigningKeys(Database database, SchemaBuilder schema) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "INT NOT NULL");
        cols.put("kid", "VARCHAR(64) NOT NULL");
        cols.put("private_key", database.dialect().largeTextType() + " NOT NULL");
        cols.put("public_key", database.dialect().largeTextType() + " NOT NULL");
        schema.ensureTable(TABLE, cols, "id");
        String[] stored = load(database);
        if (stored == null) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair kp = g.generateKeyPair();
                String kid = UUID.randomUUID().toString().replace("-", "");
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + database.dialect().quote(TABLE) + " VALUES (1, ?, ?, ?)")) {
                        ps.setString(1, kid);
                        ps.setString(2, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()));
                        ps.setString(3, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
                        ps.executeUpdate();
                    }
                    return null;
                });
            } catch (dev.dve.fault.DataverseFault raced) {
                if (raced.code() != dev.dve.fault.ErrorCode.DUPLICATE_RECORD) {
                    throw raced;
                }
                // another node stored its key first (the row's key is taken); use that one
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            stored = load(database);
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA");
            this.keyId = stored[0];
            this.privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored[1])));
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(stored[2])));
            this.publicKey = (RSAPublicKey) pub;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Stored signing key is unreadable", e);
        }
    }

    private static String[] load(Database database) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + database.dialect().quote("kid") + ", " + database.dialect().quote("private_key")
                    + ", " + database.dialect().quote("public_key") + " FROM " + database.dialect().quote(TABLE) + " WHERE " + database.dialect().quote("id") + " = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[]{rs.getString(1), rs.getString(2), rs.getString(3)} : null;
            }
        });
    }

    public String keyId() {
        return keyId;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The public key as a JSON Web Key. */
    public Map<String, Object> jwk() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("kty", "RSA");
        k.put("use", "sig");
        k.put("kid", keyId);
        k.put("x5t", keyId);
        k.put("alg", "RS256");
        k.put("n", base64Url(publicKey.getModulus()));
        k.put("e", base64Url(publicKey.getPublicExponent()));
        return k;
    }

    private static String base64Url(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
