package dev.dve.store.platform;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsCertificateTableTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private Database database;
    private TlsCertificateTable store;

    @BeforeEach
    void open() {
        database = new Database(DatabaseConfig.inMemoryH2("tls-" + UUID.randomUUID()));
        store = new TlsCertificateTable(database, new SchemaBuilder(new MetadataCatalog(List.of()), database));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void nothingIsStoredAtFirst() {
        assertTrue(store.load().isEmpty());
    }

    @Test
    void theFirstNodeToStoreWinsAndTheSecondGetsTheFirstOnesCertificate() {
        TlsCertificateTable.Stored first = store.storeFirst("CERT-A", "KEY-A", NOW);
        // a second node on the same database, with its own store object
        TlsCertificateTable other = new TlsCertificateTable(database, new SchemaBuilder(new MetadataCatalog(List.of()), database));
        TlsCertificateTable.Stored second = other.storeFirst("CERT-B", "KEY-B", NOW);
        assertEquals("CERT-A", first.certificatePem());
        assertEquals("CERT-A", second.certificatePem());
        assertEquals("KEY-A", second.privateKeyPem());
        assertEquals("CERT-A", store.load().orElseThrow().certificatePem());
    }

    @Test
    void nodesStoringAtTheSameTimeAllEndUpWithOneCertificate() throws Exception {
        int nodes = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(nodes);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<TlsCertificateTable.Stored>> results = new java.util.ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String mine = "CERT-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return store.storeFirst(mine, "KEY-" + mine, NOW);
                }));
            }
            go.countDown();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (java.util.concurrent.Future<TlsCertificateTable.Stored> f : results) {
                TlsCertificateTable.Stored s = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals("KEY-" + s.certificatePem(), s.privateKeyPem(), "a certificate comes with its own key");
                seen.add(s.certificatePem());
            }
            assertEquals(1, seen.size(), "every node got the one stored first: " + seen);
            assertEquals(seen.iterator().next(), store.load().orElseThrow().certificatePem());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplacementFromAStaleVersionYieldsToTheOneStoredFirst() {
        TlsCertificateTable.Stored stored = store.storeFirst("CERT-A", "KEY-A", NOW);
        TlsCertificateTable.Stored renewed = store.replace(stored.version(), "CERT-B", "KEY-B", NOW);
        TlsCertificateTable.Stored late = store.replace(stored.version(), "CERT-C", "KEY-C", NOW);
        assertEquals("CERT-B", renewed.certificatePem());
        assertEquals("CERT-B", late.certificatePem());
        assertEquals(stored.version() + 1, late.version());
        assertEquals("CERT-B", store.load().orElseThrow().certificatePem());
    }

    @Test
    void aFailureOtherThanAKeyConflictIsAnErrorNotSomeoneElsesCertificate() {
        database.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + database.dialect().quote("dve_tls_certificate"));
            }
            return null;
        });
        assertThrows(DataverseFault.class, () -> store.storeFirst("CERT-A", "KEY-A", NOW));
    }
}
