package dev.dve.junit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code @DataverseEmulatorTest(databaseUrl = "${…}")} on MariaDB: the placeholders name the database another extension made. */
@Tag("mariadb")
@EnabledIfSystemProperty(named = "dve.test.db", matches = "mariadb")
@ExtendWith(MariaDbDatabases.class)
@DataverseEmulatorTest(databaseUrl = "${dve.junit.db.url}", databaseUser = "${dve.junit.db.user}", databasePassword = "${dve.junit.db.password}",
        clockFrozenAt = "2026-03-02T09:00:00Z")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbAnnotationTest {
    private static String created;

    @Test
    @Order(1)
    void runsOnTheNamedDatabase(DataverseEmulatorRuntime dve) {
        assertEquals("MariaDB", dve.admin().health().database());
        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        created = api.createAccount("On MariaDB").path("accountid").asText();
        assertEquals("2026-03-02T09:00:00Z", api.get("accounts(" + created + ")?$select=createdon").json().path("createdon").asText());
    }

    @Test
    @Order(2)
    void andResetsBetweenTests(DataverseEmulatorRuntime dve) {
        assertEquals(404, new WebApiClient(dve, dve.applicationUserToken()).get("accounts(" + created + ")").status());
    }
}
