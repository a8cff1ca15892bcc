package dev.dve.auth;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.CredentialTable;
import dev.dve.store.platform.SignInFailureTable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
    private static final SecureRandom RANDOM = new SecureRandom();
    private final CredentialTable secrets;
    private final SignInFailureTable failures;
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
        this.secrets = new CredentialTable(database, schema);
        this.failures = new SignInFailureTable(database, schema);
        this.clock = clock;
    }

    /**
     * A sign-in with a secret: refused without looking at the secret while the principal is locked out, else
     * checked with {@link #verify}, a failure counted (and the principal locked when it reaches the threshold) and a
     * success clearing the count.
     */
    public SignIn signIn(UUID principalId, String secret, boolean application) {
        long now = clock.get().toEpochMilli();
        if (failures.lockedUntil(principalId).filter(until -> now < until).isPresent()) {
            return SignIn.LOCKED;
        }
        if (verify(principalId, secret, application)) {
            failures.clear(principalId);
            return SignIn.ACCEPTED;
        }
        failures.countFailure(principalId, count -> count >= LOCKOUT_THRESHOLD ? now + LOCKOUT_DURATION.toMillis() : null);
        return SignIn.REFUSED;
    }

    /** Sets (or replaces) the secret of a user or application user, and lifts a lockout as an administrator's reset does. */
    public void set(UUID principalId, String secret) {
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = Base64.getEncoder().encodeToString(saltBytes);
        String hash = hash(salt, secret);
        secrets.replace(principalId, new CredentialTable.Hashed(salt, hash));
        failures.clear(principalId);
    }

    /** Whether the secret is the principal's: its stored one, or the default when none is stored. */
    public boolean verify(UUID principalId, String secret, boolean application) {
        if (secret == null) {
            return false;
        }
        CredentialTable.Hashed stored = secrets.find(principalId).orElse(null);
        if (stored == null) {
            return MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                    (application ? DEFAULT_CLIENT_SECRET : DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8));
        }
        return MessageDigest.isEqual(hash(stored.salt(), secret).getBytes(StandardCharsets.UTF_8), stored.hash().getBytes(StandardCharsets.UTF_8));
    }

    /** Forgets every stored credential and lockout (reset to fixtures). */
    public void clear() {
        secrets.clear();
        failures.clearAll();
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

}
