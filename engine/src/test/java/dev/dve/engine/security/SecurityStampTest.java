package dev.dve.engine.security;

import dev.dve.auth.CredentialStore;
import dev.dve.auth.security.PrivilegeDepth;
import dev.dve.auth.security.SecurityModel;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.RecordStore;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.SecurityStampTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.dve.auth.WellKnownPrincipals.BASIC_USER;
import static dev.dve.auth.WellKnownPrincipals.SYSTEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Principals kept between requests stay correct: a node keeps a principal while the shared security stamp is the one
 * read with its rows; a write of a security table — through any node — changes the stamp in its own transaction.
 */
class SecurityStampTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());
    private static final UUID SYSTEM_ADMINISTRATOR_ROLE = UUID.fromString("00000000-0000-0000-0000-0000000000e0");
    private static Database database;
    private static OrganizationService service;
    private static SecurityModel node;
    /** A second node on the same database: its own kept principals, the same stamp row. */
    private static SecurityModel otherNode;

    @BeforeAll
    static void organization() {
        database = new Database(DatabaseConfig.inMemoryH2("security-stamp-" + UUID.randomUUID()));
        SchemaBuilder schema = new SchemaBuilder(CATALOG, database);
        schema.apply();
        RecordStore store = new RecordStore(CATALOG, database.dialect());
        node = new SecurityModel(store, new SecurityStampTable(database, schema));
        otherNode = new SecurityModel(store, new SecurityStampTable(database, schema));
        service = new OrganizationService(CATALOG, database, store, new EmulatorClock(), new dev.dve.auth.security.AccessPolicy(CATALOG), node);
        new FixtureLoader(service, CATALOG, database, new CredentialStore(database, schema, Instant::now)).load(null);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static boolean isAdministrator(SecurityModel model) {
        return database.inTransaction(c -> model.principal(c, BASIC_USER)).privileges().depth("prvDeleteAccount") == PrivilegeDepth.GLOBAL;
    }

    private static Entity administratorRoleFor(UUID user) {
        return new Entity("systemuserroles", UUID.randomUUID()).set("systemuserid", new EntityReference("systemuser", user))
                .set("roleid", new EntityReference("role", SYSTEM_ADMINISTRATOR_ROLE));
    }

    @Test
    void aKeptPrincipalServesUntilASecurityRowChangesOnAnyNode() {
        assertFalse(isAdministrator(node));
        assertFalse(isAdministrator(otherNode));
        assertSame(database.inTransaction(c -> node.principal(c, BASIC_USER)), database.inTransaction(c -> node.principal(c, BASIC_USER)),
                "unchanged rows: the kept principal");

        UUID link = service.create(SYSTEM, administratorRoleFor(BASIC_USER));
        assertTrue(isAdministrator(node), "the writing node computes it again");
        assertTrue(isAdministrator(otherNode), "so does a node that kept it from before the write");

        service.delete(SYSTEM, "systemuserroles", link, null);
        assertFalse(isAdministrator(node));
        assertFalse(isAdministrator(otherNode));
    }

    @Test
    void whatARolledBackWriteShowedIsNeverKept() {
        assertFalse(isAdministrator(node));
        RuntimeException undo = new RuntimeException("undo");
        assertSame(undo, assertThrows(RuntimeException.class, () -> database.inTransaction(c -> {
            service.create(SYSTEM, administratorRoleFor(BASIC_USER));
            assertEquals(PrivilegeDepth.GLOBAL, node.principal(c, BASIC_USER).privileges().depth("prvDeleteAccount"), "inside the transaction: its own write");
            throw undo;
        })));
        assertFalse(isAdministrator(node), "the role was rolled back, and the principal computed with it is not served");

        // a later, committed change gets a new stamp of its own, never the rolled-back one
        UUID link = service.create(SYSTEM, administratorRoleFor(BASIC_USER));
        assertTrue(isAdministrator(node));
        service.delete(SYSTEM, "systemuserroles", link, null);
        assertEquals(false, isAdministrator(node));
    }
}
