package dev.dve.auth;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Passwords of users and client secrets of application users, salted and hashed in a table of the platform's
 * own (never an entity, never readable through the Web API). A principal without a stored credential signs in
 * with the default one of its kind, so users added later work without a setup step.
 * <p>
 * Wrong secrets lock a principal out the way Entra's smart lockout does: after {@link #LOCKOUT_THRESHOLD} failed
 * sign-ins in a row the principal is locked for {@link #LOCKOUT_DURATION}, during which even the right secret is
 * refused; the first failure after that locks it again, a success starts the count afresh. The count is a row in
 * {@code dve_signin_failure}, so every node on the database sees the same lockout; its time is the emulator clock.
 */
public final class CredentialStore {
    public static final String DEFAULT_PASSWORD = "Passw0rd!";
    public static final String DEFAULT_CLIENT_SECRET = "emulator-admin-secret";
    /** Failed sign-ins in a row that lock a principal out (Entra's default lockout threshold). */
    public static final int LOCKOUT_THRESHOLD = 10;
    /** How long a lockout lasts (Entra's default lockout duration). */
    public static final Duration LOCKOUT_DURATION = Duration.ofSeconds(60);
    private static final String TABLE = "dve_credential";
    private static final String FAILURES = "dve_signin_failure";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database database;
    private final Supplier<Instant> clock;

    /** What a sign-in attempt came to. */
    public enum SignIn {
        ACCEPTED,
        /** the secret is wrong */
        REFUSED,
        /** too many wrong secrets: refused without looking at the secret until the lockout ends */
        LOCKED
    }

    /**
     * @param clock the emulator clock lockouts are timed by
     */
    public CredentialStore(Database database, SchemaBuilder schema, Supplier<Instant> clock) {
        this.database = database;
        this.clock = clock;
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("principalid", database.dialect().guidType() + " NOT NULL");
        cols.put("salt", "VARCHAR(64) NOT NULL");
        cols.put("hash", "VARCHAR(128) NOT NULL");
        schema.ensureTable(TABLE, cols, "principalid");
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("principalid", database.dialect().guidType() + " NOT NULL");
        failures.put("failures", "INT NOT NULL");
        failures.put("locked_until_ms", "BIGINT");
        schema.ensureTable(FAILURES, failures, "principalid");
    }

    /**
     * A sign-in with a secret: refused without looking at the secret while the principal is locked out, else
     * checked with {@link #verify}, a failure counted (and the principal locked when it reaches the threshold) and a
     * success clearing the count.
     */
    public SignIn signIn(UUID principalId, String secret, boolean application) {
        long now = clock.get().toEpochMilli();
        Long lockedUntil = lockedUntil(principalId);
        if (lockedUntil != null && now < lockedUntil) {
            return SignIn.LOCKED;
        }
        if (verify(principalId, secret, application)) {
            clearFailures(principalId);
            return SignIn.ACCEPTED;
        }
        recordFailure(principalId, now);
        return SignIn.REFUSED;
    }

    private Long lockedUntil(UUID principalId) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("locked_until_ms") + " FROM " + q(FAILURES) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }

    /** Counts a failure under a row lock, so failures on several nodes at once are all counted. */
    private void recordFailure(UUID principalId, long now) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.inTransaction(c -> {
                    int failures;
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + q("failures") + " FROM " + q(FAILURES) + " WHERE " + q("principalid") + " = ? FOR UPDATE")) {
                        ps.setString(1, principalId.toString());
                        try (ResultSet rs = ps.executeQuery()) {
                            failures = rs.next() ? rs.getInt(1) : -1;
                        }
                    }
                    if (failures < 0) {
                        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(FAILURES) + " (" + q("principalid") + ", " + q("failures") + ", "
                                + q("locked_until_ms") + ") VALUES (?, ?, ?)")) {
                            ins.setString(1, principalId.toString());
                            ins.setInt(2, 1);
                            setLock(ins, 3, 1, now);
                            ins.executeUpdate();
                        }
                        return null;
                    }
                    try (PreparedStatement up = c.prepareStatement("UPDATE " + q(FAILURES) + " SET " + q("failures") + " = ?, " + q("locked_until_ms") + " = ? WHERE "
                            + q("principalid") + " = ?")) {
                        up.setInt(1, failures + 1);
                        setLock(up, 2, failures + 1, now);
                        up.setString(3, principalId.toString());
                        up.executeUpdate();
                    }
                    return null;
                });
                return;
            } catch (DataverseFault f) {
                // another node inserted the first failure at the same moment: count this one on its row
                if (f.code() != ErrorCode.DUPLICATE_RECORD || attempt > 0) {
                    throw f;
                }
            }
        }
    }

    private static void setLock(PreparedStatement ps, int index, int failures, long now) throws java.sql.SQLException {
        if (failures >= LOCKOUT_THRESHOLD) {
            ps.setLong(index, now + LOCKOUT_DURATION.toMillis());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    private void clearFailures(UUID principalId) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(FAILURES) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Sets (or replaces) the secret of a user or application user, and lifts a lockout as an administrator's reset does. */
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
        clearFailures(principalId);
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

    /** Forgets every stored credential and lockout (reset to fixtures). */
    public void clear() {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(TABLE))) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(FAILURES))) {
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
