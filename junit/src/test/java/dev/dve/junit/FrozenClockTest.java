package dev.dve.junit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code clockFrozenAt}: every test starts with the clock frozen at that instant, whatever the test before did to it. */
@DataverseEmulatorTest(clockFrozenAt = "2026-03-02T09:00:00Z")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrozenClockTest {
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    @Order(1)
    void aTestMovesTheClock(DataverseEmulatorRuntime dve) {
        assertEquals(NINE, dve.clock().now());
        assertTrue(dve.clock().isFrozen());
        dve.clock().advance(Duration.ofHours(5));
        assertEquals("2026-03-02T14:00:00Z", new WebApiClient(dve, dve.applicationUserToken()).createAccount("At two").path("createdon").asText());
    }

    @Test
    @Order(2)
    void theNextStartsAtTheGivenInstantAgain(DataverseEmulatorRuntime dve) {
        assertEquals(NINE, dve.clock().now());
        assertEquals("2026-03-02T09:00:00Z", new WebApiClient(dve, dve.applicationUserToken()).createAccount("At nine").path("createdon").asText());
    }
}
