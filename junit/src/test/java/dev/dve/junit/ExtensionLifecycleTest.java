package dev.dve.junit;

import dev.dve.junit.WebApiClient.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataverseEmulatorTest} as a user meets it: one emulator on a random port for the class, state reset between
 * tests, a token per fixture user, the clock, and the runtime injected into constructors and methods.
 */
@DataverseEmulatorTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionLifecycleTest {
    private static String createdByTheFirstTest;
    private static String firstBaseUrl;
    private final DataverseEmulatorRuntime constructed;

    ExtensionLifecycleTest(DataverseEmulatorRuntime dve) {
        this.constructed = dve;
    }

    @Test
    @Order(1)
    void theEmulatorAnswersOnARandomPortAndATestCreatesARecord(DataverseEmulatorRuntime dve) throws Exception {
        assertSame(constructed, dve, "the constructor and the method get the same runtime");
        assertTrue(dve.port() > 0 && dve.port() != 5555, "a random port: " + dve.port());
        assertEquals("http://localhost:" + dve.port(), dve.baseUrl());
        assertEquals(dve.baseUrl() + "/api/data/v9.2/", dve.webApiUrl());
        assertEquals("00000000-0000-0000-0000-000000000001", dve.tenantId());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dve.baseUrl() + "/admin/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());

        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        createdByTheFirstTest = api.createAccount("Left behind").path("accountid").asText();
        assertEquals(200, api.get("accounts(" + createdByTheFirstTest + ")").status());
        firstBaseUrl = dve.baseUrl();
    }

    @Test
    @Order(2)
    void theNextTestStartsFromTheFixturesOnTheSameEmulator(DataverseEmulatorRuntime dve) {
        assertEquals(firstBaseUrl, dve.baseUrl(), "one emulator for the class");
        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        Response gone = api.get("accounts(" + createdByTheFirstTest + ")");
        assertEquals(404, gone.status(), "the first test's record was reset away: " + gone);
        assertEquals(3, api.get("accounts?$count=true").json().path("@odata.count").asInt(), "the three sample accounts");
    }

    @Test
    @Order(3)
    void eachFixtureUserGetsATokenWithItsOwnPrivileges(DataverseEmulatorRuntime dve) {
        Map<String, String> ids = Map.of(FixturePrincipals.ADMIN, "00000000-0000-0000-0000-000000000102", FixturePrincipals.MAKER,
                "00000000-0000-0000-0000-000000000103", FixturePrincipals.RUNNER, "00000000-0000-0000-0000-000000000104",
                FixturePrincipals.BASIC, "00000000-0000-0000-0000-000000000105");
        ids.forEach((user, id) -> assertEquals(id, new WebApiClient(dve, dve.token(user)).get("WhoAmI").json().path("UserId").asText(), user));
        assertEquals("00000000-0000-0000-0000-000000000101", new WebApiClient(dve, dve.applicationUserToken()).get("WhoAmI").json().path("UserId").asText());
        assertNotEquals(dve.token(FixturePrincipals.BASIC), dve.token(FixturePrincipals.ADMIN));

        // activating a real-time workflow needs prvActivateSynchronousWorkflow: the administrator has it, the basic user not
        WebApiClient basic = new WebApiClient(dve, dve.token(FixturePrincipals.BASIC));
        String basics = basic.createWorkflow("Basic's real-time", "set-description.xaml", 1, true).json().path("workflowid").asText();
        Response refused = basic.activate(basics);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("0x80040220", refused.errorCode());

        WebApiClient admin = new WebApiClient(dve, dve.token(FixturePrincipals.ADMIN));
        String admins = admin.createWorkflow("Admin's real-time", "set-description.xaml", 1, true).json().path("workflowid").asText();
        Response activated = admin.activate(admins);
        assertEquals(204, activated.status(), activated.toString());

        Response noToken = new WebApiClient(dve, null).get("WhoAmI");
        assertEquals(401, noToken.status());
    }

    @Test
    @Order(4)
    void theClockIsWhatTheWebApiStampsRecordsWith(DataverseEmulatorRuntime dve, OrganizationClock clock) {
        Instant nine = Instant.parse("2026-03-02T09:00:00Z");
        assertEquals(nine, clock.freezeAt(nine));
        assertTrue(clock.isFrozen());
        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        assertEquals("2026-03-02T09:00:00Z", api.createAccount("At nine").path("createdon").asText());

        assertEquals(nine.plus(Duration.ofDays(1)), clock.advance(Duration.ofDays(1)));
        assertEquals("2026-03-03T09:00:00Z", api.createAccount("A day later").path("createdon").asText());
        assertEquals(nine.plus(Duration.ofDays(1)), clock.asJavaClock().instant(), "code under test can read the same time");
        assertEquals(clock.now(), dve.clock().now());
    }

    @Test
    @Order(5)
    void theResetLetsTheClockRunOnTheSystemTimeAgain(OrganizationClock clock, Admin admin) {
        assertFalse(clock.isFrozen());
        assertTrue(Duration.between(Instant.now(), clock.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, clock.now().toString());
        assertSame(constructed.admin(), admin, "the Admin parameter is the runtime's");
        assertTrue(admin instanceof InProcessAdmin);
    }
}
