package dev.dve.junit;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** What happens around a test class, run through the JUnit engine: the emulator stops with its class, a bad option fails the class. */
class ExtensionLifecycleEdgesTest {
    @Test
    void theEmulatorStopsWhenItsClassEnds() {
        Events tests = engine().selectors(selectClass(RecordsItsEmulator.class)).execute().testEvents();
        tests.assertStatistics(s -> s.succeeded(1).failed(0));
        assertNotNull(RecordsItsEmulator.baseUrl);
        HttpRequest health = HttpRequest.newBuilder(URI.create(RecordsItsEmulator.baseUrl + "/admin/health")).timeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString()), "nothing listens any more");
    }

    @Test
    void aMissingFixturesFolderFailsTheClassAndSaysWhich() {
        Events containers = engine().selectors(selectClass(MissingFixtures.class)).execute().containerEvents();
        List<Event> failed = containers.failed().list();
        assertEquals(1, failed.size(), containers.list().toString());
        Throwable cause = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(cause.getMessage().contains("no-such-folder"), cause.toString());
    }

    /** The engine, running the classes below (each @Disabled, so that nothing else runs them on its own). */
    private static EngineTestKit.Builder engine() {
        return EngineTestKit.engine("junit-jupiter").configurationParameter("junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition");
    }

    @DataverseEmulatorTest
    @Disabled("run by ExtensionLifecycleEdgesTest through the engine")
    static class RecordsItsEmulator {
        static volatile String baseUrl;

        @Test
        void records(DataverseEmulatorRuntime dve) {
            baseUrl = dve.baseUrl();
        }
    }

    @DataverseEmulatorTest(fixtures = "no-such-folder")
    @Disabled("run by ExtensionLifecycleEdgesTest through the engine")
    static class MissingFixtures {
        @Test
        void neverRuns() {
        }
    }
}
