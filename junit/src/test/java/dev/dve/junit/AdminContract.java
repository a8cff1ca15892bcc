package dev.dve.junit;

import dev.dve.junit.WebApiClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Admin} does, whichever way it reaches the emulator: each implementation's test extends this
 * class and says how it makes its Admin. The effects are checked through the Web API, as a client sees them.
 */
abstract class AdminContract {
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");
    protected DataverseEmulatorRuntime dve;
    protected Admin admin;
    protected WebApiClient api;

    /** The implementation under test, over the emulator {@code dve}. */
    protected abstract Admin adminOf(DataverseEmulatorRuntime dve);

    /** The database the emulator runs on, as health names it. */
    protected String expectedDatabase() {
        return "H2";
    }

    @BeforeEach
    void connect(DataverseEmulatorRuntime runtime) {
        dve = runtime;
        admin = adminOf(runtime);
        api = new WebApiClient(runtime, runtime.applicationUserToken());
    }

    @Test
    void healthNamesTheNodeAndItsDatabase() {
        Admin.Health h = admin.health();
        assertTrue(h.healthy(), h.toString());
        assertEquals(expectedDatabase(), h.database());
        assertFalse(h.nodeId().isBlank(), h.toString());
        assertNotNull(h.now());
    }

    @Test
    void resetDropsWhatATestCreatedAndLoadsTheFixturesAgain() {
        String id = api.createAccount("Created by the test").path("accountid").asText();
        assertEquals(4, api.get("accounts?$count=true").json().path("@odata.count").asInt());
        int loaded = admin.reset();
        assertTrue(loaded > 10, "the fixture records: " + loaded);
        assertEquals(404, api.get("accounts(" + id + ")").status());
        assertEquals(3, api.get("accounts?$count=true").json().path("@odata.count").asInt(), "the three sample accounts");
    }

    @Test
    void theClockFreezesSetsAndAdvancesAndTheWebApiWritesItsTime() {
        Admin.ClockReading frozen = admin.freezeClock(true);
        assertTrue(frozen.frozen());
        assertEquals(NINE, admin.setClock(NINE).now());
        Admin.ClockReading later = admin.advanceClock(Duration.ofSeconds(36));
        assertEquals(NINE.plusSeconds(36), later.now());
        assertTrue(later.frozen(), "setting and advancing keep it frozen");
        assertEquals(new Admin.ClockReading(NINE.plusSeconds(36), true), admin.clock());
        assertEquals("2026-03-02T09:00:36Z", api.createAccount("Stamped").path("createdon").asText());

        Admin.ClockReading running = admin.freezeClock(false);
        assertFalse(running.frozen());
        assertFalse(running.now().isBefore(NINE.plusSeconds(36)), "runs on from where it stood: " + running.now());
        assertTrue(running.now().isBefore(NINE.plusSeconds(36 + 60)), running.now().toString());
    }

    @Test
    void aResetPutsTheClockBackOnTheSystemTime() {
        admin.freezeClock(true);
        admin.setClock(NINE);
        admin.reset();
        Admin.ClockReading c = admin.clock();
        assertFalse(c.frozen());
        assertTrue(Duration.between(Instant.now(), c.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, c.toString());
    }

    @Test
    void theClockCannotGoBack() {
        admin.freezeClock(true);
        admin.setClock(NINE);
        AdminException refused = assertThrows(AdminException.class, () -> admin.advanceClock(Duration.ofSeconds(-1)));
        assertEquals(400, refused.status());
        assertEquals("0x80040203", refused.errorCode());
        assertEquals(NINE, admin.now(), "unchanged");
    }

    @Test
    void runUntilIdleRunsTheQueuedBackgroundWorkflowAndCountsIt() {
        admin.freezeClock(true);
        admin.setClock(NINE);
        api.activeBackgroundWorkflow("Describe later", "set-description.xaml");
        String id = api.createAccount("Northwind").path("accountid").asText();
        assertTrue(api.get("accounts(" + id + ")?$select=description").json().path("description").isNull(), "nothing runs by itself");

        IdleReport report = admin.runUntilIdle();
        assertEquals(1, report.jobs(), report.toString());
        assertEquals(1, report.succeeded(), report.toString());
        assertEquals(0, report.failed());
        assertEquals(NINE, report.now());
        assertEquals("Created by workflow, for Northwind", api.get("accounts(" + id + ")?$select=description").json().path("description").asText());
        assertEquals(0, admin.runUntilIdle().jobs(), "nothing left");

        AdminException refused = assertThrows(AdminException.class, () -> admin.runUntilIdle(0));
        assertEquals(400, refused.status());
    }

    @Test
    void anInjectedFaultIsListedUsedUpAndCleared() {
        admin.freezeClock(true);
        admin.setClock(NINE);
        UUID workflow = UUID.fromString(api.activeBackgroundWorkflow("Describe later", "set-description.xaml"));
        InjectedFault busy = admin.injectFault(FaultKind.SERVER_BUSY, 1, workflow);
        assertEquals(new InjectedFault(busy.id(), FaultKind.SERVER_BUSY, 1, workflow), busy);
        assertEquals(List.of(busy), admin.faults());

        api.createAccount("Flaky");
        IdleReport first = admin.runUntilIdle();
        assertEquals(1, first.retrying(), "the server-busy call makes the job retry: " + first);
        assertEquals(List.of(new InjectedFault(busy.id(), FaultKind.SERVER_BUSY, 0, workflow)), admin.faults(), "used up");
        admin.advanceClock(Duration.ofSeconds(36));
        assertEquals(1, admin.runUntilIdle().succeeded(), "the retry at 09:00:36 succeeds");
        admin.clearFaults();

        InjectedFault paused = admin.injectFault(FaultKind.WORKFLOW_SYSTEM_PAUSED);
        assertEquals(Integer.MAX_VALUE, paused.remaining());
        InjectedFault everyWorkflow = admin.injectFault(FaultKind.SQL_ERROR, 3, null);
        // both injected at the same (frozen) emulator time: listed oldest first, so their order between them is open
        assertEquals(java.util.Set.of(paused, everyWorkflow), java.util.Set.copyOf(admin.faults()));
        assertEquals(2, admin.faults().size());
        admin.clearFaults();
        assertEquals(List.of(), admin.faults());

        assertEquals(400, assertThrows(AdminException.class, () -> admin.injectFault(FaultKind.SERVER_BUSY, 0, null)).status());
    }

    @Test
    void aRegisteredCustomActivityLetsItsWorkflowActivate() {
        String workflow = api.createWorkflow("Notify ERP", "custom-activity.xaml", 0, true).json().path("workflowid").asText();
        Response unregistered = api.activate(workflow);
        assertEquals(400, unregistered.status(), unregistered.body());

        admin.registerCustomActivity("Contoso.Workflows.NotifyErp", "http://127.0.0.1:9/notify");
        Response activated = api.activate(workflow);
        assertEquals(204, activated.status(), activated.body());

        AdminException refused = assertThrows(AdminException.class, () -> admin.registerCustomActivity("Contoso.Workflows.NotifyErp", "ftp://erp/notify"));
        assertEquals(400, refused.status());
        assertEquals("0x80040203", refused.errorCode());
    }

    @Test
    void aNewPasswordReplacesTheOldOne() {
        admin.setPassword(FixturePrincipals.MAKER, "An0ther!pass");
        assertEquals(400, passwordGrant(FixturePrincipals.MAKER, FixturePrincipals.PASSWORD).status(), "the old password no longer signs in");
        Response signedIn = passwordGrant(FixturePrincipals.MAKER, "An0ther!pass");
        assertEquals(200, signedIn.status(), signedIn.body());
        String token = signedIn.json().path("access_token").asText();
        assertEquals("00000000-0000-0000-0000-000000000103", new WebApiClient(dve, token).get("WhoAmI").json().path("UserId").asText());

        AdminException unknown = assertThrows(AdminException.class, () -> admin.setPassword("nobody@emulator.local", "x"));
        assertEquals(404, unknown.status());
        assertEquals("0x80040217", unknown.errorCode());
    }

    @Test
    void aNewClientSecretReplacesTheOldOne() {
        admin.setClientSecret(FixturePrincipals.APPLICATION_CLIENT_ID, "rotated-secret");
        assertEquals(401, clientCredentials("emulator-admin-secret").status(), "the old secret no longer signs in");
        assertEquals(200, clientCredentials("rotated-secret").status());
        assertEquals(400, assertThrows(AdminException.class, () -> admin.setClientSecret("not-a-guid", "x")).status());
    }

    private Response passwordGrant(String user, String password) {
        return WebApiClient.tokenRequest(dve, "grant_type", "password", "client_id", "51f81489-12ee-4a9e-aaae-a2591f45987d",
                "username", user, "password", password, "scope", dve.organizationUrl() + "/.default");
    }

    private Response clientCredentials(String secret) {
        return WebApiClient.tokenRequest(dve, "grant_type", "client_credentials", "client_id", FixturePrincipals.APPLICATION_CLIENT_ID,
                "client_secret", secret, "scope", dve.organizationUrl() + "/.default");
    }
}
