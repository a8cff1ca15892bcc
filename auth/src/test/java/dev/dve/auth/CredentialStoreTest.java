package dev.dve.auth;

import dev.dve.metadata.MetadataLoader;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static dev.dve.auth.CredentialStore.SignIn.ACCEPTED;
import static dev.dve.auth.CredentialStore.SignIn.LOCKED;
import static dev.dve.auth.CredentialStore.SignIn.REFUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Passwords and client secrets, and the lockout after too many wrong ones, as every node of one database sees them. */
class CredentialStoreTest {
    private final Database database = new Database(DatabaseConfig.inMemoryH2("credentials-" + UUID.randomUUID()));
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-05-01T08:00:00Z"));
    private final CredentialStore store = node();
    private final UUID user = UUID.randomUUID();

    private CredentialStore node() {
        return new CredentialStore(database, new SchemaBuilder(new MetadataLoader().load(List.of()), database), now::get);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private void later(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void withoutAStoredSecretTheDefaultOfItsKindSignsIn() {
        assertTrue(store.verify(user, CredentialStore.DEFAULT_PASSWORD, false));
        assertFalse(store.verify(user, CredentialStore.DEFAULT_CLIENT_SECRET, false));
        assertTrue(store.verify(user, CredentialStore.DEFAULT_CLIENT_SECRET, true));
        assertFalse(store.verify(user, null, false));
    }

    @Test
    void aStoredSecretReplacesTheDefault() {
        store.set(user, "S3cret!");
        assertTrue(store.verify(user, "S3cret!", false));
        assertFalse(store.verify(user, CredentialStore.DEFAULT_PASSWORD, false));
        assertFalse(store.verify(user, "s3cret!", false), "secrets are case-sensitive");
        store.set(user, "Other1!");
        assertFalse(store.verify(user, "S3cret!", false));
        store.clear();
        assertTrue(store.verify(user, CredentialStore.DEFAULT_PASSWORD, false), "cleared: back to the default");
    }

    @Test
    void tenWrongSecretsInARowLockEvenTheRightOneOutForAMinute() {
        for (int i = 1; i < CredentialStore.LOCKOUT_THRESHOLD; i++) {
            assertEquals(REFUSED, store.signIn(user, "wrong", false), "failure " + i);
        }
        assertEquals(ACCEPTED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false), "nine failures do not lock");
        for (int i = 1; i <= CredentialStore.LOCKOUT_THRESHOLD; i++) {
            assertEquals(REFUSED, store.signIn(user, "wrong", false), "failure " + i + " after a success counts afresh");
        }
        assertEquals(LOCKED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
        later(CredentialStore.LOCKOUT_DURATION.minusSeconds(1));
        assertEquals(LOCKED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
        later(Duration.ofSeconds(1));
        assertEquals(ACCEPTED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
    }

    @Test
    void theFirstFailureAfterALockoutLocksAgain() {
        for (int i = 0; i < CredentialStore.LOCKOUT_THRESHOLD; i++) {
            store.signIn(user, "wrong", false);
        }
        later(CredentialStore.LOCKOUT_DURATION);
        assertEquals(REFUSED, store.signIn(user, "wrong", false));
        assertEquals(LOCKED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
    }

    @Test
    void anAdministratorsResetLiftsALockout() {
        for (int i = 0; i < CredentialStore.LOCKOUT_THRESHOLD; i++) {
            store.signIn(user, "wrong", false);
        }
        store.set(user, "N3w!");
        assertEquals(ACCEPTED, store.signIn(user, "N3w!", false));
    }

    @Test
    void failuresOnTwoNodesCountTogetherAndTheLockoutHoldsOnBoth() {
        CredentialStore other = node();
        for (int i = 0; i < CredentialStore.LOCKOUT_THRESHOLD; i++) {
            assertEquals(REFUSED, (i % 2 == 0 ? store : other).signIn(user, "wrong", false));
        }
        assertEquals(LOCKED, store.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
        assertEquals(LOCKED, other.signIn(user, CredentialStore.DEFAULT_PASSWORD, false));
    }

    @Test
    void oneUsersLockoutDoesNotTouchAnother() {
        for (int i = 0; i < CredentialStore.LOCKOUT_THRESHOLD; i++) {
            store.signIn(user, "wrong", false);
        }
        assertEquals(ACCEPTED, store.signIn(UUID.randomUUID(), CredentialStore.DEFAULT_PASSWORD, false));
    }
}
