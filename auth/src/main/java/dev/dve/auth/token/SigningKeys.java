package dev.dve.auth.token;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.SigningKeyTable;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The RSA key tokens are signed with: created at first start and kept in the database, so every node and every
 * restart issues and accepts the same tokens.
 */
public final class SigningKeys {
    private final String keyId;
    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;

    public SigningKeys(Database database, SchemaBuilder schema) {
        SigningKeyTable table = new SigningKeyTable(database, schema);
        SigningKeyTable.StoredKey stored = table.load().orElseGet(() -> table.storeFirst(generate()));
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA");
            this.keyId = stored.keyId();
            this.privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored.privateKey())));
            this.publicKey = (RSAPublicKey) kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(stored.publicKey())));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Stored signing key is unreadable", e);
        }
    }

    /** A new RSA 2048 key pair under a random key id. */
    private static SigningKeyTable.StoredKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            return new SigningKeyTable.StoredKey(UUID.randomUUID().toString().replace("-", ""),
                    Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()),
                    Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot make an RSA key pair", e);
        }
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
