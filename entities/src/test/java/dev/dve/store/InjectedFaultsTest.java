package dev.dve.store;

import dev.dve.metadata.MetadataCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Injected 429s as two nodes on one database see them: each answer used once, by whichever node asks first. */
class InjectedFaultsTest {
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();
    private Database database;
    private InjectedFaults nodeA;
    private InjectedFaults nodeB;

    @BeforeEach
    void twoNodes() {
        database = new Database(DatabaseConfig.inMemoryH2("faults-" + UUID.randomUUID()));
        SchemaBuilder schema = new SchemaBuilder(new MetadataCatalog(List.of()), database);
        nodeA = new InjectedFaults(database, schema);
        nodeB = new InjectedFaults(database, schema);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theInjectingNodeAnswersAtOnceAndEachAnswerIsUsedOnce() {
        assertNull(nodeA.consumeServiceProtection(ALICE), "nothing injected");
        nodeA.addServiceProtection(2, null, null, 5);
        assertNotNull(nodeA.consumeServiceProtection(ALICE));
        assertNotNull(nodeA.consumeServiceProtection(BOB));
        assertNull(nodeA.consumeServiceProtection(ALICE), "both answers used");
    }

    @Test
    void anotherNodeSeesAnInjectionWithinAQuarterSecond() throws InterruptedException {
        assertNull(nodeB.consumeServiceProtection(ALICE), "nothing injected yet: node B stops reading the table");
        nodeA.addServiceProtection(1, ALICE, null, 5);
        Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(InjectedFaults.SERVICE_PROTECTION_RECHECK_NANOS) + 50);
        assertNull(nodeB.consumeServiceProtection(BOB), "Alice's answer is not Bob's");
        assertNotNull(nodeB.consumeServiceProtection(ALICE), "node B looked again and found it");
        assertNull(nodeA.consumeServiceProtection(ALICE), "used once, on either node");
    }

    @Test
    void aUserSpecificAnswerWaitsForItsUserWhileOthersAsk() {
        nodeA.addServiceProtection(1, ALICE, null, 5);
        for (int i = 0; i < 5; i++) {
            assertNull(nodeA.consumeServiceProtection(BOB));
        }
        assertEquals(5, nodeA.consumeServiceProtection(ALICE).retryAfter());
    }
}
