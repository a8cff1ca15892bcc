package dev.dve.store.platform;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.ConsolePendingChangeTable.PendingChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsolePendingChangeTableTest {
    private static final UUID WORKFLOW = UUID.fromString("00000000-0000-0000-0000-00000000c0de");
    private static final UUID ADMIN = UUID.fromString("00000000-0000-0000-0000-000000000102");
    private Database database;
    private ConsolePendingChangeTable table;

    @BeforeEach
    void open() {
        database = new Database(DatabaseConfig.inMemoryH2("pending-" + UUID.randomUUID()));
        table = new ConsolePendingChangeTable(database, new SchemaBuilder(new MetadataCatalog(List.of()), database));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aChangeIsKeptWholeAndReplacedByTheNextOne() {
        String longXaml = "<Activity>" + "x".repeat(200_000) + "</Activity>";
        Instant at = Instant.parse("2026-03-02T09:00:00.123Z");
        table.put(new PendingChange(WORKFLOW, "First", null, "<Activity/>", ADMIN, at));
        table.put(new PendingChange(WORKFLOW, "Second", "why", longXaml, ADMIN, at));
        PendingChange read = table.get(WORKFLOW).orElseThrow();
        assertEquals("Second", read.name());
        assertEquals("why", read.description());
        assertEquals(longXaml, read.xaml(), "a large XAML survives");
        assertEquals(ADMIN, read.changedBy());
        assertEquals(at, read.changedOn());
        // a second node sees the same row
        ConsolePendingChangeTable other = new ConsolePendingChangeTable(database, new SchemaBuilder(new MetadataCatalog(List.of()), database));
        assertEquals("Second", other.get(WORKFLOW).orElseThrow().name());
    }

    @Test
    void removeAndClearForgetChanges() {
        table.put(new PendingChange(WORKFLOW, "A", null, null, null, null));
        assertTrue(table.remove(WORKFLOW));
        assertFalse(table.remove(WORKFLOW), "nothing left to remove");
        table.put(new PendingChange(WORKFLOW, "A", null, null, null, null));
        table.clear();
        assertTrue(table.get(WORKFLOW).isEmpty());
    }

    @Test
    void aWriteInsideAFailedTransactionLeavesNothing() {
        assertThrows(IllegalStateException.class, () -> database.inTransaction(c -> {
            table.put(new PendingChange(WORKFLOW, "A", null, null, null, null));
            throw new IllegalStateException("the activation was refused");
        }));
        assertTrue(table.get(WORKFLOW).isEmpty(), "the put joined the transaction and rolled back with it");
    }
}
