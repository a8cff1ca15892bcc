package dev.dve.engine.security;

import dev.dve.auth.CredentialStore;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.security.AccessRight;
import dev.dve.auth.security.PrivilegeCatalog;
import dev.dve.auth.security.PrivilegeDepth;
import dev.dve.auth.security.RecordPosition;
import dev.dve.auth.security.SecurityModel;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.RecordStore;
import dev.dve.store.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.dve.auth.WellKnownPrincipals.ADMIN_USER;
import static dev.dve.auth.WellKnownPrincipals.BASIC_USER;
import static dev.dve.auth.WellKnownPrincipals.CHILD_BUSINESS_UNIT;
import static dev.dve.auth.WellKnownPrincipals.ROOT_BUSINESS_UNIT;
import static dev.dve.auth.WellKnownPrincipals.SYSTEM;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A principal's security position as the security rows of the default organization give it (H2 in memory): its unit,
 * teams, roles and the privileges they grant, read afresh on every call.
 */
class SecurityModelTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());
    private static Database database;
    private static OrganizationService service;
    private static final SecurityModel model = new SecurityModel(new RecordStore(CATALOG, new dev.dve.store.H2Dialect()));

    @BeforeAll
    static void organization() {
        database = new Database(DatabaseConfig.inMemoryH2("security-model-" + UUID.randomUUID()));
        SchemaBuilder schema = new SchemaBuilder(CATALOG, database);
        schema.apply();
        service = new OrganizationService(CATALOG, database, new RecordStore(CATALOG, database.dialect()), new EmulatorClock(),
                new dev.dve.auth.security.AccessPolicy(CATALOG));
        new FixtureLoader(service, CATALOG, database, new CredentialStore(database, schema, Instant::now)).load(null);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static SecurityPrincipal principal(UUID user) {
        return database.inTransaction(c -> model.principal(c, user));
    }

    private static boolean hasRole(UUID user, String role) {
        return database.inTransaction(c -> model.hasRole(c, user, role));
    }

    @Test
    void theBasicUserHoldsItsRolesPrivilegesAtTheirDepthsInItsUnit() {
        SecurityPrincipal p = principal(BASIC_USER);
        assertEquals(CHILD_BUSINESS_UNIT, p.businessUnitId());
        assertEquals(1, p.roleCount());
        assertEquals(PrivilegeDepth.BASIC, p.privileges().depth("prvReadAccount"));
        assertEquals(PrivilegeDepth.GLOBAL, p.privileges().depth("prvReadWorkflow"));
        assertNull(p.privileges().depth(PrivilegeCatalog.ACTIVATE_REALTIME));
        assertTrue(hasRole(BASIC_USER, "Basic User"));
        assertFalse(hasRole(BASIC_USER, "System Administrator"));
        // the unit tree: Sales is below the root unit
        assertEquals(ROOT_BUSINESS_UNIT, p.businessUnitParents().get(CHILD_BUSINESS_UNIT));
        assertFalse(p.inOwnSubtree(ROOT_BUSINESS_UNIT));
    }

    @Test
    void theAdministratorHoldsEveryPrivilegeGloballyWithTheSpecialOnes() {
        SecurityPrincipal p = principal(ADMIN_USER);
        assertEquals(PrivilegeCatalog.definitions(CATALOG).size(), p.privileges().size());
        assertEquals(PrivilegeDepth.GLOBAL, p.privileges().depth("prvDeleteAccount"));
        for (String special : PrivilegeCatalog.SPECIAL) {
            assertTrue(p.privileges().has(special), special);
        }
        assertTrue(p.inOwnSubtree(CHILD_BUSINESS_UNIT));
        assertTrue(hasRole(ADMIN_USER, "System Administrator"));
    }

    @Test
    void anUnknownUserIsNotFound() {
        UUID nobody = UUID.randomUUID();
        DataverseFault f = assertThrows(DataverseFault.class, () -> principal(nobody));
        assertEquals(ErrorCode.OBJECT_DOES_NOT_EXIST, f.code());
        assertEquals("systemuser With Id = " + nobody + " Does Not Exist", f.getMessage());
    }

    @Test
    void aTeamsRoleCountsForItsMembersFromTheNextCallOnAndItsRowsAreTheirs() {
        // a user of its own, a Basic User like the fixtures' one, so the other tests see the fixtures unchanged
        UUID user = service.create(SYSTEM, new Entity("systemuser").set("firstname", "Terry").set("lastname", "Teamed")
                .set("businessunitid", new EntityReference("businessunit", CHILD_BUSINESS_UNIT)));
        service.create(SYSTEM, new Entity("systemuserroles").set("systemuserid", new EntityReference("systemuser", user))
                .set("roleid", new EntityReference("role", UUID.fromString("00000000-0000-0000-0000-0000000000e1"))));
        UUID team = service.create(SYSTEM, new Entity("team").set("name", "Workflow makers")
                .set("businessunitid", new EntityReference("businessunit", CHILD_BUSINESS_UNIT)));
        service.create(SYSTEM, new Entity("teamroles").set("teamid", new EntityReference("team", team))
                .set("roleid", new EntityReference("role", UUID.fromString("00000000-0000-0000-0000-0000000000e3"))));
        SecurityPrincipal before = principal(user);
        assertEquals(PrivilegeDepth.BASIC, before.privileges().depth("prvWriteWorkflow"));

        service.create(SYSTEM, new Entity("teammembership").set("systemuserid", new EntityReference("systemuser", user))
                .set("teamid", new EntityReference("team", team)));
        SecurityPrincipal after = principal(user);
        assertTrue(after.teams().contains(team));
        assertEquals(2, after.roleCount());
        assertEquals(PrivilegeDepth.LOCAL, after.privileges().depth("prvWriteWorkflow"), "the deeper of the user's and the team's role");
        assertTrue(hasRole(user, "Process Maker"), "through the team");

        // an account the team owns is the member's at Basic depth
        AccessPolicy policy = new AccessPolicy(CATALOG);
        RecordPosition teamsAccount = new RecordPosition(UUID.randomUUID(), team, "team", CHILD_BUSINESS_UNIT);
        assertDoesNotThrow(() -> policy.requireRecord(after, CATALOG.require("account"), AccessRight.WRITE, teamsAccount));
        assertThrows(DataverseFault.class, () -> policy.requireRecord(before, CATALOG.require("account"), AccessRight.WRITE, teamsAccount),
                "not before joining the team");
    }

    @Test
    void theSystemUserIsNeverCheckedButIsARealUserRow() {
        assertNull(service.securityPrincipal(WellKnownPrincipals.SYSTEM));
        assertEquals(ROOT_BUSINESS_UNIT, principal(WellKnownPrincipals.SYSTEM_USER).businessUnitId());
    }
}
