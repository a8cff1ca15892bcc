package dev.dve.junit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code resetBeforeEach = false}: the tests of the class share what they create, and a frozen clock is set once. */
@DataverseEmulatorTest(resetBeforeEach = false, clockFrozenAt = "2026-03-02T09:00:00Z")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoResetTest {
    private static String kept;

    @Test
    @Order(1)
    void aTestCreatesARecord(DataverseEmulatorRuntime dve) {
        kept = new WebApiClient(dve, dve.applicationUserToken()).createAccount("Kept").path("accountid").asText();
        assertEquals("2026-03-02T09:00:00Z", dve.clock().now().toString());
    }

    @Test
    @Order(2)
    void theNextStillSeesIt(DataverseEmulatorRuntime dve) {
        assertEquals(200, new WebApiClient(dve, dve.applicationUserToken()).get("accounts(" + kept + ")").status());
        assertEquals(4, new WebApiClient(dve, dve.applicationUserToken()).get("accounts?$count=true").json().path("@odata.count").asInt());
    }
}
