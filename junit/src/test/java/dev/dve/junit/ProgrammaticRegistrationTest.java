package dev.dve.junit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The builder registered on a static field: its options hold, the field answers too, and nested classes share the emulator. */
class ProgrammaticRegistrationTest {
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");

    @RegisterExtension
    static DataverseEmulatorExtension dve = DataverseEmulatorExtension.builder()
            .clockFrozenAt(NINE)
            .configure(c -> c.withStatementTimeout(Duration.ofSeconds(20)))
            .build();

    private static String baseUrlInBeforeAll;

    @BeforeAll
    static void theEmulatorRunsBeforeTheClassesOwnSetUp() {
        baseUrlInBeforeAll = dve.baseUrl();
        assertEquals(200, new WebApiClient(dve.webApiUrl(), dve.runtime().applicationUserToken()).get("WhoAmI").status());
    }

    @Test
    void theFieldAndTheParameterAreTheSameEmulator(DataverseEmulatorRuntime injected) {
        assertSame(dve.runtime(), injected);
        assertEquals(baseUrlInBeforeAll, injected.baseUrl());
        assertEquals(NINE, dve.admin().now(), "clockFrozenAt from the builder");
        assertEquals("2026-03-02T09:00:00Z", new WebApiClient(injected, injected.applicationUserToken()).createAccount("Built").path("createdon").asText());
    }

    @Nested
    class Inner {
        @Test
        void aNestedClassUsesItsOuterClassesEmulator(DataverseEmulatorRuntime injected) {
            assertEquals(baseUrlInBeforeAll, injected.baseUrl());
            assertEquals(NINE, injected.clock().now(), "reset before nested tests too");
        }
    }
}
