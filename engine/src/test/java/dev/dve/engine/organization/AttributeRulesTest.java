package dev.dve.engine.organization;

import dev.dve.auth.CallerContext;
import dev.dve.auth.CredentialStore;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks every written value meets, with the Dataverse error codes and messages a client sees. */
class AttributeRulesTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());

    private static EntityMetadata entity(String name) {
        return CATALOG.require(name);
    }

    private static Object check(String entity, String attribute, Object value) {
        EntityMetadata e = entity(entity);
        AttributeMetadata a = e.attribute(attribute).orElseThrow();
        return AttributeRules.check(CATALOG, e, a, value);
    }

    private static DataverseFault refused(String entity, String attribute, Object value) {
        return assertThrows(DataverseFault.class, () -> check(entity, attribute, value));
    }

    @Test
    void aValueOfTheWrongTypeIsAnInvalidArgument() {
        DataverseFault f = refused("account", "name", 5);
        assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
        assertEquals("0x80040203", f.code().hex());
        assertEquals("Incorrect type of attribute value Integer for attribute 'name' of entity 'account'.", f.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused("account", "creditonhold", "yes").code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused("account", "creditlimit", 5.0d).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused("account", "parentaccountid", UUID.randomUUID()).code());
    }

    @Test
    void textLongerThanItsMaximumIsAValidationError() {
        assertEquals("x".repeat(160), check("account", "name", "x".repeat(160)));
        DataverseFault f = refused("account", "name", "x".repeat(161));
        assertEquals(ErrorCode.VALIDATION, f.code());
        assertEquals("0x80044331", f.code().hex());
        assertEquals(400, f.httpStatus());
        assertEquals("A validation error occurred.  The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.",
                f.getMessage());
    }

    @Test
    void aChoiceTakesOnlyItsOptionValuesAndSaysWhichItAccepts() {
        assertEquals(3, check("account", "customertypecode", 3));
        DataverseFault f = refused("account", "customertypecode", 13);
        assertEquals(ErrorCode.VALIDATION, f.code());
        assertTrue(f.getMessage().startsWith("A validation error occurred.  The value 13 of 'customertypecode' on record of type 'account' is outside the valid range."),
                f.getMessage());
        assertTrue(f.getMessage().contains("Accepted Values: 1,2,3,4,5,6,7,8,9,10,11,12"), f.getMessage());
        assertEquals(ErrorCode.VALIDATION, refused("account", "statuscode", 7).code());
    }

    @Test
    void aMultiSelectChoiceIsStoredSortedWithoutDuplicatesAndRefusesUnknownValues() {
        AttributeMetadata a = entity("contact").attribute("preferredcontactmethods").orElseThrow();
        int first = a.optionSet().options().get(0).value();
        int second = a.optionSet().options().get(1).value();
        assertEquals(first + "," + second, check("contact", "preferredcontactmethods", second + ", " + first + "," + second));
        assertNull(check("contact", "preferredcontactmethods", ""), "an empty selection clears the column");
        assertEquals(ErrorCode.VALIDATION, refused("contact", "preferredcontactmethods", first + ",999").code());
        assertEquals(ErrorCode.VALIDATION, refused("contact", "preferredcontactmethods", first + ",email").code());
    }

    @Test
    void numbersOutsideTheirRangeAreRefusedAndMoneyIsRoundedToItsPrecision() {
        assertEquals(ErrorCode.VALIDATION, refused("account", "numberofemployees", -1).code());
        assertEquals(ErrorCode.VALIDATION, refused("account", "creditlimit", new BigDecimal("100000000000001")).code());
        assertEquals(0, check("account", "numberofemployees", 0));
        AttributeMetadata money = entity("account").attribute("creditlimit").orElseThrow();
        BigDecimal rounded = (BigDecimal) check("account", "creditlimit", new BigDecimal("12.3456789"));
        assertEquals(new BigDecimal("12.3456789").setScale(money.precision(), java.math.RoundingMode.HALF_UP), rounded);
        assertTrue(rounded.scale() <= money.precision());
    }

    @Test
    void aLookupPointsOnlyAtItsTargetTables() {
        UUID id = UUID.randomUUID();
        assertEquals(new EntityReference("account", id), check("account", "parentaccountid", new EntityReference("account", id)));
        DataverseFault f = refused("account", "parentaccountid", new EntityReference("contact", id));
        assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
        assertEquals("Entity type 'contact' is not a valid target of lookup 'parentaccountid' of entity 'account'.", f.getMessage());
    }

    @Test
    void anEntityNameColumnNamesATableThatExists() {
        assertEquals("account", check("workflow", "primaryentity", "account"));
        assertEquals("none", check("workflow", "primaryentity", "none"));
        DataverseFault f = refused("workflow", "primaryentity", "nosuchtable");
        assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
        assertEquals("The entity with a name = 'nosuchtable' with namemapping = 'Logical' was not found in the MetadataCache.", f.getMessage());
    }

    @Test
    void stateAndStatusAreMadeToAgree() {
        EntityMetadata account = entity("account");
        Entity stateOnly = new Entity("account").set("statecode", 1);
        AttributeRules.resolveState(account, stateOnly, 0);
        assertEquals(2, stateOnly.get("statuscode"), "a state alone gets its default status");

        Entity statusOnly = new Entity("account").set("statuscode", 2);
        AttributeRules.resolveState(account, statusOnly, 0);
        assertEquals(1, statusOnly.get("statecode"), "a status alone brings its state");

        Entity sameState = new Entity("account").set("statuscode", 1);
        AttributeRules.resolveState(account, sameState, 0);
        assertTrue(!sameState.contains("statecode"), "a status of the current state leaves the state alone");

        DataverseFault f = assertThrows(DataverseFault.class, () -> AttributeRules.resolveState(account, new Entity("account").set("statecode", 0).set("statuscode", 2), 0));
        assertEquals(ErrorCode.INVALID_STATE_STATUS, f.code());
        assertEquals("0x80048408", f.code().hex());
        assertEquals("2 is not a valid status code for state code AccountState.Active on account.", f.getMessage());
    }

    @Test
    void aComputedNameJoinsItsPartsLeavingOutEmptyOnes() {
        AttributeMetadata fullname = entity("contact").attribute("fullname").orElseThrow();
        Map<String, Object> values = new HashMap<>();
        values.put("firstname", "Ada");
        values.put("lastname", "Lovelace");
        assertEquals("Ada Lovelace", AttributeRules.compute(fullname, values));
        values.put("firstname", " ");
        assertEquals("Lovelace", AttributeRules.compute(fullname, values));
        values.put("lastname", null);
        assertNull(AttributeRules.compute(fullname, values));
    }

    /**
     * The rules the organization service applies with them, on an organization in H2 in memory with the default
     * fixtures: required columns, read-only and create-only columns.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnWrite {
        private final CallerContext system = WellKnownPrincipals.SYSTEM;
        private Database database;
        private OrganizationService service;

        @BeforeAll
        void organization() {
            database = new Database(DatabaseConfig.inMemoryH2("attribute-rules-" + UUID.randomUUID()));
            SchemaBuilder schema = new SchemaBuilder(CATALOG, database);
            schema.apply();
            service = new OrganizationService(CATALOG, database, new RecordStore(CATALOG, database.dialect()), new EmulatorClock(),
                    new dev.dve.auth.security.AccessPolicy(CATALOG));
            new FixtureLoader(service, CATALOG, database, new CredentialStore(database, schema, Instant::now)).load(null);
        }

        @AfterAll
        void close() {
            database.close();
        }

        private DataverseFault refusedCreate(Entity e) {
            return assertThrows(DataverseFault.class, () -> service.create(system, e));
        }

        @Test
        void aSystemRequiredColumnMustHaveAValueButABusinessRequiredOneNeedNot() {
            DataverseFault f = refusedCreate(new Entity("team").set("businessunitid", new EntityReference("businessunit", WellKnownPrincipals.ROOT_BUSINESS_UNIT)));
            assertEquals(ErrorCode.REQUIRED_ATTRIBUTE_MISSING, f.code());
            assertEquals("0x80040200", f.code().hex());
            assertEquals("Attribute 'name' of entity 'team' cannot be NULL.", f.getMessage());
            // account.name is ApplicationRequired: forms ask for it, the API does not
            UUID id = assertDoesNotThrow(() -> service.create(system, new Entity("account").set("description", "no name")));
            DataverseFault cleared = assertThrows(DataverseFault.class, () -> service.update(system, new Entity("account", id).set("statecode", null), null));
            assertEquals(ErrorCode.REQUIRED_ATTRIBUTE_MISSING, cleared.code());
            assertEquals("Attribute 'statecode' of entity 'account' cannot be NULL.", cleared.getMessage());
        }

        @Test
        void aReadOnlyColumnCannotBeSetOnCreate() {
            DataverseFault f = refusedCreate(new Entity("account").set("name", "x").set("createdon", Instant.parse("2020-01-01T00:00:00Z")));
            assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
            assertEquals("The 'createdon' attribute of the 'account' entity is read-only and cannot be set on create.", f.getMessage());
            DataverseFault computed = refusedCreate(new Entity("contact").set("lastname", "Lovelace").set("fullname", "Ada"));
            assertEquals("The 'fullname' attribute of the 'contact' entity is read-only and cannot be set on create.", computed.getMessage());
        }

        @Test
        void aCreateOnlyColumnIsSetOnCreateAndThenCannotChange() {
            UUID team = service.create(system, new Entity("team").set("name", "Reviewers").set("teamtype", 0)
                    .set("businessunitid", new EntityReference("businessunit", WellKnownPrincipals.ROOT_BUSINESS_UNIT)));
            DataverseFault f = assertThrows(DataverseFault.class, () -> service.update(system, new Entity("team", team).set("teamtype", 1), null));
            assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
            assertEquals("The 'teamtype' attribute of the 'team' entity is read-only and cannot be changed.", f.getMessage());
        }

        @Test
        void aColumnTheTableDoesNotHaveIsNamedInTheRefusal() {
            DataverseFault f = refusedCreate(new Entity("account").set("name", "x").set("nosuchcolumn", "y"));
            assertEquals(ErrorCode.INVALID_ARGUMENT, f.code());
            assertEquals("'account' entity doesn't contain attribute with Name = 'nosuchcolumn'.", f.getMessage());
        }
    }
}
