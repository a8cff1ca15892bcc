package dev.dve.server.tls;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.TlsCertificateTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The certificate kept in the database: generated once, read by every later node, replaced shortly before its end. */
class SharedCertificateTest {
    private static final Instant FIRST_START = Instant.parse("2025-03-01T10:00:00Z");
    private static final List<String> HOSTS = List.of("localhost", "127.0.0.1", "::1", "dve.example");
    private Database database;

    @BeforeEach
    void open() {
        database = new Database(DatabaseConfig.inMemoryH2("shared-cert-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** What one node's start-up does, with its own store object, at the given instant. */
    private ServerCertificate startAt(Instant now) {
        TlsCertificateTable store = new TlsCertificateTable(database, new SchemaBuilder(new MetadataCatalog(List.of()), database));
        return SharedCertificate.obtain(store, HOSTS, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theFirstStartGeneratesACertificateForTheHostsAndLaterStartsReuseIt() {
        ServerCertificate first = startAt(FIRST_START);
        assertTrue(first.covers("localhost") && first.covers("127.0.0.1") && first.covers("[::1]") && first.covers("dve.example"));
        assertEquals(FIRST_START.plus(ServerCertificate.VALIDITY), first.notAfter());
        ServerCertificate later = startAt(FIRST_START.plus(Duration.ofDays(400)));
        assertEquals(first.certificate(), later.certificate());
        assertEquals(first.privateKeyPem(), later.privateKeyPem());
    }

    @Test
    void aCertificateNearItsEndIsReplacedOnceForEveryNode() {
        ServerCertificate first = startAt(FIRST_START);
        Instant nearTheEnd = first.notAfter().minus(SharedCertificate.RENEW_BEFORE).plus(Duration.ofHours(1));
        ServerCertificate renewed = startAt(nearTheEnd);
        assertNotEquals(first.certificate(), renewed.certificate());
        assertTrue(renewed.notAfter().isAfter(first.notAfter()));
        assertEquals(renewed.certificate(), startAt(nearTheEnd.plus(Duration.ofMinutes(5))).certificate(), "the next node serves the renewed one");
    }
}
