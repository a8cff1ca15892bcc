package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Background workflows run as system jobs: driven with run-until-idle and the clock, every way a job ends — succeeded,
 * failed, retried on the documented schedule, suspended, canceled — with the codes Dataverse records.
 */
class AsyncJobsTest extends EmulatorTest {
    private static final String FOREVER = "9999-12-30T23:59:59Z";
    private WireMockServer erp;

    @BeforeAll
    void startErp() {
        erp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        erp.start();
    }

    @AfterAll
    void stopErp() {
        erp.stop();
    }

    @BeforeEach
    void freezeClock() {
        erp.resetAll();
        api.clock("2026-03-02T09:00:00Z", null);
    }

    private JsonNode runUntilIdle() {
        return api.runUntilIdle();
    }

    private void advance(String duration) {
        api.clock(null, duration);
    }

    private String createAccount(String name) {
        return api.createAccount(name);
    }

    private JsonNode jobOf(String accountId) {
        JsonNode jobs = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + accountId).json().path("value");
        assertEquals(1, jobs.size(), jobs.toString());
        return jobs.get(0);
    }

    private JsonNode job(String jobId) {
        Response r = api.get("asyncoperations(" + jobId + ")");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static void assertState(JsonNode job, int state, int status) {
        assertEquals(state, job.path("statecode").asInt(), job.toString());
        assertEquals(status, job.path("statuscode").asInt(), job.toString());
    }

    private void registerErp(int status, String body) {
        erp.stubFor(post(urlEqualTo("/notify")).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
        assertEquals(200, api.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                + erp.port() + "/notify\"}").status());
    }

    @Test
    void aBackgroundWorkflowRunsAsASystemJobAndSucceeds() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Northwind");
        JsonNode queued = jobOf(account);
        assertState(queued, 0, 0);
        assertEquals("account", queued.path("regardingobjecttypecode").asText(), "the regarding table follows the lookup: " + queued);
        assertTrue(queued.path("owningextensiontypecode").isNull(), "a workflow job has no owning extension: " + queued);
        // correlationid and correlationupdatedtime are system-required: the platform fills them for the job it queues
        assertTrue(queued.path("correlationid").asText().matches("[0-9a-f-]{36}"), queued.toString());
        assertEquals("2026-03-02T09:00:00Z", queued.path("correlationupdatedtime").asText(), queued.toString());
        assertTrue(api.get("accounts(" + account + ")?$select=description").json().path("description").isNull(), "nothing runs before a worker does");

        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("jobs").asInt(), report.toString());
        assertEquals(1, report.path("succeeded").asInt(), report.toString());
        JsonNode done = job(queued.path("asyncoperationid").asText());
        assertState(done, 3, 30);
        assertEquals("2026-03-02T09:00:00Z", done.path("startedon").asText());
        assertEquals("2026-03-02T09:00:00Z", done.path("completedon").asText());
        assertTrue(done.path("hostid").asText().length() > 0, done.toString());
        assertEquals(10, done.path("operationtype").asInt());
        assertTrue(api.get("accounts(" + account + ")?$select=description").json().path("description").asText().contains("Northwind"),
                "the workflow's update happened");
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "nothing left to run");
    }

    @Test
    void aFailedHttpAnswerRetriesOnTheDocumentedScheduleThenSuspends() {
        registerErp(503, "{}");
        active(api, "Notify ERP later", "custom-activity.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String jobId = jobOf(createAccount("Flaky")).path("asyncoperationid").asText();
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        int[] waits = {36, 43, 52, 62, 75};
        for (int i = 0; i < waits.length; i++) {
            JsonNode report = runUntilIdle();
            assertEquals(1, report.path("retrying").asInt(), "attempt " + (i + 1) + ": " + report);
            JsonNode job = job(jobId);
            assertState(job, 1, 10);
            assertEquals(i + 1, job.path("retrycount").asInt());
            assertEquals(now.plusSeconds(waits[i]).toString(), job.path("postponeuntil").asText(), "retry " + i + " waits " + waits[i] + " s");
            assertEquals(0x80044306, job.path("errorcode").asInt());
            advance("PT" + (waits[i] - 1) + "S");
            assertEquals(0, runUntilIdle().path("jobs").asInt(), "not due a second early");
            advance("PT1S");
            assertState(job(jobId), 0, 0);
            now = now.plusSeconds(waits[i]);
        }
        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("suspended").asInt(), report.toString());
        JsonNode suspended = job(jobId);
        assertState(suspended, 1, 10);
        assertEquals(FOREVER, suspended.path("postponeuntil").asText(), "after five retries it waits for a person");
        assertEquals(6, erp.countRequestsMatching(postRequestedFor(urlEqualTo("/notify")).build()).getCount());
        advance("P365D");
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "a suspended job never wakes by itself");

        registerErp(200, "{\"ErpNumber\":\"ERP-7\"}");
        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":0,\"statuscode\":0}").status(), "resume");
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertState(job(jobId), 3, 30);
    }

    @Test
    void unauthorizedSuspendsAndAnInvalidPluginExecutionFails() {
        registerErp(401, "{}");
        active(api, "Notify ERP later", "custom-activity.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String first = jobOf(createAccount("Locked out")).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("suspended").asInt());
        JsonNode suspended = job(first);
        assertState(suspended, 1, 10);
        assertEquals(FOREVER, suspended.path("postponeuntil").asText());
        assertEquals(0x80044306, suspended.path("errorcode").asInt());
        assertEquals(0, suspended.path("retrycount").asInt());

        registerErp(400, "{\"message\":\"The ERP refuses this account.\"}");
        String second = jobOf(createAccount("Refused")).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("failed").asInt());
        JsonNode failed = job(second);
        assertState(failed, 3, 31);
        assertEquals(0x80040265, failed.path("errorcode").asInt());
        assertEquals("The ERP refuses this account.", failed.path("message").asText());
        assertEquals("The ERP refuses this account.", failed.path("friendlymessage").asText());
        assertEquals(400, api.patch("asyncoperations(" + second + ")", "{\"statecode\":0,\"statuscode\":0}").status(), "a failed job cannot be resumed");
        assertState(job(second), 3, 31);
    }

    @Test
    void aJobWhoseRecordIsGoneIsSuspended() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Short lived");
        String jobId = jobOf(account).path("asyncoperationid").asText();
        assertEquals(204, api.delete("accounts(" + account + ")").status());
        assertEquals(1, runUntilIdle().path("suspended").asInt());
        JsonNode job = job(jobId);
        assertState(job, 1, 10);
        assertEquals(0x80045031, job.path("errorcode").asInt());
        assertEquals(FOREVER, job.path("postponeuntil").asText());
    }

    @Test
    void deactivationCancelsTheQueuedBacklog() {
        String workflow = active(api, "Runaway", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        for (int i = 0; i < 25; i++) {
            createAccount("Backlog " + i);
        }
        assertEquals(25, api.get("asyncoperations?$filter=statecode%20eq%200&$count=true").json().path("@odata.count").asInt());
        assertEquals(204, api.patch("workflows(" + workflow + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        createAccount("After deactivation");
        assertEquals(25, api.get("asyncoperations?$count=true").json().path("@odata.count").asInt(), "no new job after deactivation");
        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("jobs").asInt(), "the first job picked up cancels the whole backlog at once: " + report);
        assertEquals(25, api.get("asyncoperations?$filter=statecode%20eq%203%20and%20statuscode%20eq%2032&$count=true").json().path("@odata.count").asInt());
        assertTrue(api.get("accounts?$filter=startswith(description,'Created')&$count=true").json().path("@odata.count").asInt() == 0,
                "no canceled job ran its steps");
    }

    @Test
    void asyncAutoDeleteRemovesASucceededJob() {
        active(api, "Describe and forget", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0,\"asyncautodelete\":true}");
        String account = createAccount("Forgotten");
        jobOf(account);
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertEquals(0, api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + account).json().path("value").size());
    }

    @Test
    void peopleCancelPostponeAndResumeJobsByTheAllowedMovesOnly() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String a = jobOf(createAccount("To cancel")).path("asyncoperationid").asText();
        String b = jobOf(createAccount("To postpone")).path("asyncoperationid").asText();
        String c = jobOf(createAccount("Not paused")).path("asyncoperationid").asText();

        Response cancel = api.patch("asyncoperations(" + a + ")", "{\"statecode\":3,\"statuscode\":32}");
        assertEquals(204, cancel.status(), cancel.body());
        assertState(job(a), 3, 32);
        assertRefused(api.patch("asyncoperations(" + a + ")", "{\"statecode\":0,\"statuscode\":0}"), "0x80048408");
        assertState(job(a), 3, 32);

        assertEquals(204, api.patch("asyncoperations(" + b + ")", "{\"postponeuntil\":\"2026-03-02T10:00:00Z\"}").status(), "postpone by date alone");
        assertState(job(b), 1, 10);
        assertRefused(api.patch("asyncoperations(" + c + ")", "{\"statecode\":1,\"statuscode\":10}"), "0x80048408");
        assertState(job(c), 0, 0);
        assertRefused(api.patch("asyncoperations(" + c + ")", "{\"name\":\"renamed\"}"), "0x80040203");
        assertRefused(api.delete("asyncoperations(" + c + ")"), "0x8004416a");
        assertRefused(api.post("asyncoperations", "{\"name\":\"mine\",\"operationtype\":10}"), "0x80040203");

        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("succeeded").asInt(), "only the job nobody stopped ran: " + report);
        assertState(job(b), 1, 10);
        advance("PT1H");
        assertEquals(1, runUntilIdle().path("succeeded").asInt(), "the postponed job runs when its time comes");
        assertState(job(b), 3, 30);
        assertEquals(204, api.delete("asyncoperations(" + b + ")").status(), "a completed job can be deleted");
    }

    /**
     * A system job's versionnumber is the async service's (its claims compare and set it) and Microsoft lists none:
     * clients see no such column and no ETag, and If-Match acts as on a process session, a table without versions.
     */
    @Test
    void aSystemJobShowsNoRowVersionAndIfMatchActsAsOnAnUnversionedTable() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Versioned by the platform only");
        String a = jobOf(account).path("asyncoperationid").asText();
        String b = jobOf(createAccount("Paused then resumed")).path("asyncoperationid").asText();

        Response read = api.get("asyncoperations(" + a + ")");
        assertEquals(200, read.status(), read.body());
        assertFalse(read.json().has("versionnumber"), read.body());
        assertFalse(read.json().has("@odata.etag"), read.body());
        assertNull(read.header("ETag"));
        for (JsonNode listed : api.get("asyncoperations").json().path("value")) {
            assertFalse(listed.has("versionnumber") || listed.has("@odata.etag"), listed.toString());
        }
        JsonNode expanded = api.get("accounts(" + account + ")?$select=name&$expand=Account_AsyncOperations").json().path("Account_AsyncOperations");
        assertEquals(1, expanded.size(), expanded.toString());
        assertFalse(expanded.get(0).has("versionnumber") || expanded.get(0).has("@odata.etag"), expanded.toString());
        Response account1 = api.get("accounts(" + account + ")");
        assertTrue(account1.json().has("@odata.etag") && account1.json().has("versionnumber"), "an account still shows its version");

        // named by a client, it is a column the table does not have
        Response unknown = api.get("asyncoperations?$select=nosuch");
        assertEquals(400, unknown.status(), unknown.body());
        for (String query : new String[]{"$select=versionnumber", "$filter=versionnumber%20gt%200", "$orderby=versionnumber"}) {
            Response r = api.get("asyncoperations?" + query);
            assertEquals(400, r.status(), query + ": " + r.body());
            assertEquals(unknown.errorCode(), r.errorCode(), query + ": " + r.body());
            assertTrue(r.body().contains("Could not find a property named 'versionnumber'"), r.body());
        }
        Response fetch = api.get("asyncoperations?fetchXml=" + enc(
                "<fetch><entity name='asyncoperation'><attribute name='versionnumber'/></entity></fetch>"));
        assertEquals(400, fetch.status(), fetch.body());
        Response fetchUnknown = api.get("asyncoperations?fetchXml=" + enc(
                "<fetch><entity name='asyncoperation'><attribute name='nosuch'/></entity></fetch>"));
        assertEquals(fetchUnknown.errorCode(), fetch.errorCode(), fetch.body());
        assertTrue(fetch.body().contains("doesn't contain attribute with Name = 'versionnumber'"), fetch.body());
        Response all = api.get("asyncoperations?fetchXml=" + enc(
                "<fetch><entity name='asyncoperation'><all-attributes/></entity></fetch>"));
        assertEquals(200, all.status(), all.body());
        assertFalse(all.json().path("value").get(0).has("versionnumber"), all.body());
        Response written = api.patch("asyncoperations(" + a + ")", "{\"versionnumber\":1}");
        assertEquals(400, written.status(), written.body());

        // If-Match as on a process session: "*" matches the row, a version matches none (there is none to see)
        String location = api.post("processsessions", "{\"name\":\"unversioned\"}").expect(204).header("OData-EntityId");
        String session = location.substring(location.lastIndexOf('(') + 1, location.length() - 1);
        assertFalse(api.get("processsessions(" + session + ")").json().has("@odata.etag"));
        Response sessionStale = api.patch("processsessions(" + session + ")", "{\"name\":\"v\"}", "If-Match", "W/\"1\"");
        assertEquals(204, api.patch("processsessions(" + session + ")", "{\"name\":\"star\"}", "If-Match", "*").status());
        long version = api.get("accounts(" + account + ")").json().path("versionnumber").asLong();
        Response stale = api.patch("asyncoperations(" + a + ")", "{\"statecode\":3,\"statuscode\":32}", "If-Match", "W/\"" + version + "\"");
        assertEquals(sessionStale.status(), stale.status(), stale.body());
        assertEquals(412, stale.status(), stale.body());
        assertEquals(sessionStale.errorCode(), stale.errorCode(), stale.body());
        assertState(job(a), 0, 0);
        Response canceled = api.patch("asyncoperations(" + a + ")", "{\"statecode\":3,\"statuscode\":32}", "If-Match", "*");
        assertEquals(204, canceled.status(), canceled.body());
        assertState(job(a), 3, 32);
        Response represented = api.patch("asyncoperations(" + b + ")", "{\"postponeuntil\":\"2026-03-02T10:00:00Z\"}", "Prefer", "return=representation");
        assertEquals(200, represented.status(), represented.body());
        assertState(represented.json(), 1, 10);
        assertFalse(represented.json().has("versionnumber") || represented.json().has("@odata.etag") || represented.header("ETag") != null,
                represented.body());

        // the platform still claims and settles by the version it keeps
        assertEquals(0, runUntilIdle().path("succeeded").asInt(), "one job canceled, one postponed");
        advance("PT1H");
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertState(job(b), 3, 30);
        assertState(job(a), 3, 32);
    }

    @Test
    void injectedFaultsFollowTheErrorTable() {
        String workflow = active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        Object[][] rows = {{"serverBusy", 0x8004A001}, {"organizationDisabled", 0x8004A104}, {"sqlError", 0x80040216}};
        for (Object[] row : rows) {
            assertEquals(200, api.post("/admin/faults", "{\"fault\":\"" + row[0] + "\",\"count\":1,\"workflowId\":\"" + workflow + "\"}").status());
            String jobId = jobOf(createAccount("Fault " + row[0])).path("asyncoperationid").asText();
            assertEquals(1, runUntilIdle().path("retrying").asInt(), row[0] + " retries");
            JsonNode job = job(jobId);
            assertState(job, 1, 10);
            assertEquals((int) row[1], job.path("errorcode").asInt(), row[0] + ": " + job);
            assertEquals(1, job.path("retrycount").asInt());
            advance("PT36S");
            assertEquals(1, runUntilIdle().path("succeeded").asInt(), "the fault was used up; the retry succeeds");
        }
        assertEquals(200, api.post("/admin/faults", "{\"fault\":\"workflowSystemPaused\"}").status());
        String paused = jobOf(createAccount("While paused")).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("suspended").asInt());
        JsonNode job = job(paused);
        assertState(job, 1, 10);
        assertEquals(0x80045017, job.path("errorcode").asInt());
        assertEquals(FOREVER, job.path("postponeuntil").asText());
        assertEquals(200, api.delete("/admin/faults").status());
        assertEquals(204, api.patch("asyncoperations(" + paused + ")", "{\"statecode\":0,\"statuscode\":0}").status());
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertEquals(400, api.post("/admin/faults", "{\"fault\":\"meteorStrike\"}").status());
    }

    @Test
    void aFailingSdkCallSuspendsAWorkflowJob() {
        // a workflow owned by a basic user runs as that user, who may not write an administrator's account
        com.fasterxml.jackson.databind.node.ObjectNode definition = dev.dve.server.workflow.WorkflowTestSupport.definition("Basic describes",
                "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        dev.dve.server.testing.WebApi basic = as("basic@emulator.local");
        String id = dev.dve.server.workflow.WorkflowTestSupport.create(basic, definition);
        assertEquals(204, dev.dve.server.workflow.WorkflowTestSupport.activate(basic, id).status());
        String jobId = jobOf(createAccount("Admin owned")).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("suspended").asInt());
        JsonNode job = job(jobId);
        assertState(job, 1, 10);
        assertEquals(0x80040220, job.path("errorcode").asInt(), job.toString());
        assertEquals(FOREVER, job.path("postponeuntil").asText());
    }

    @Test
    void aWorkflowThatTriggersItselfFailsPastDepthEight() {
        active(api, "Loop", "set-description.xaml", "{\"triggeroncreate\":true,\"triggeronupdateattributelist\":\"description\",\"mode\":0}");
        createAccount("Loop");
        JsonNode report = runUntilIdle();
        // the client's create is depth 1; job k runs its update at depth k + 1, so the eighth job's update is the ninth level
        assertEquals(7, report.path("succeeded").asInt(), report.toString());
        assertEquals(1, report.path("failed").asInt(), report.toString());
        JsonNode failed = api.get("asyncoperations?$filter=statuscode%20eq%2031").json().path("value").get(0);
        assertEquals(0x80044182, failed.path("errorcode").asInt());
        assertEquals(8, failed.path("depth").asInt());
    }

    @Test
    void aWaitConditionParksTheJobUntilTheRecordMatches() {
        active(api, "Wait for hold", "wait-for-credit-hold.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Waiting");
        String jobId = jobOf(account).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("waiting").asInt());
        JsonNode waiting = job(jobId);
        assertState(waiting, 1, 10);
        assertEquals(FOREVER, waiting.path("postponeuntil").asText());
        assertTrue(waiting.path("iswaitingforevent").asBoolean(), waiting.toString());
        JsonNode logs = api.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + jobId).json().path("value");
        assertEquals(1, logs.size(), logs.toString());
        assertEquals(5, logs.get(0).path("status").asInt(), "a Waiting log row");
        // regardingobjectid documents no targets: a plain lookup value the engine writes, with its logical name
        JsonNode log = api.get("workflowlogs(" + logs.get(0).path("workflowlogid").asText()
                        + ")?$select=_regardingobjectid_value,regardingobjecttypecode,objecttypecode",
                "Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"").json();
        assertEquals("account", log.path("regardingobjecttypecode").asText(), "the regarding table follows the lookup: " + log);
        assertEquals("account", log.path("objecttypecode").asText(), "the table the process runs on (system-required): " + log);
        assertEquals(account, log.path("_regardingobjectid_value").asText(), log.toString());
        assertEquals("account", log.path("_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText(), log.toString());

        assertEquals(204, api.patch("accounts(" + account + ")", "{\"telephone1\":\"555\"}").status());
        assertState(job(jobId), 0, 0);
        JsonNode again = runUntilIdle();
        assertEquals(1, again.path("waiting").asInt(), "the condition still does not hold: " + again + " " + job(jobId));
        advance("P30D");
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "time alone does not wake a condition");
        assertEquals(204, api.patch("accounts(" + account + ")", "{\"creditonhold\":true}").status());
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertState(job(jobId), 3, 30);
    }

    @Test
    void aRetriedJobContinuesAfterItsLastCompletedStep() {
        registerErp(200, "{\"ErpNumber\":\"ERP-9\"}");
        String workflow = active(api, "Notify ERP later", "custom-activity.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Resumed");
        String jobId = jobOf(account).path("asyncoperationid").asText();
        // the call-out is not an SDK call: the first SDK call, the update after it, meets the fault
        assertEquals(200, api.post("/admin/faults", "{\"fault\":\"serverBusy\",\"workflowId\":\"" + workflow + "\"}").status());
        assertEquals(1, runUntilIdle().path("retrying").asInt());
        assertEquals(1, erp.countRequestsMatching(postRequestedFor(urlEqualTo("/notify")).build()).getCount());
        assertTrue(api.get("accounts(" + account + ")?$select=accountnumber").json().path("accountnumber").isNull());
        advance("PT36S");
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertEquals(1, erp.countRequestsMatching(postRequestedFor(urlEqualTo("/notify")).build()).getCount(),
                "the completed call-out step is not run again");
        assertEquals("ERP-9", api.get("accounts(" + account + ")?$select=accountnumber").json().path("accountnumber").asText());
        JsonNode logs = api.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + jobId + "&$orderby=createdon").json().path("value");
        long failed = 0;
        long succeeded = 0;
        for (JsonNode l : logs) {
            failed += l.path("status").asInt() == 3 ? 1 : 0;
            succeeded += l.path("status").asInt() == 2 ? 1 : 0;
        }
        assertEquals(1, failed, logs.toString());
        assertEquals(2, succeeded, "the call-out's step once, the update once: " + logs);
    }

    @Test
    void aRunningJobStopsAtItsNextStepBoundaryWhenPaused() throws Exception {
        registerSlowErp();
        String account = createAccount("Paused midway");
        String jobId = jobOf(account).path("asyncoperationid").asText();
        java.util.concurrent.CompletableFuture<JsonNode> run = runWhileTheCallOutTakesThreeSeconds(jobId, "ERP-1");
        Response pause = api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":1,\"statuscode\":10}");
        assertEquals(204, pause.status(), pause.body());
        // Pausing until the worker reaches its next step boundary (it may already have: then it is Suspended)
        int status = job(jobId).path("statuscode").asInt();
        assertTrue(status == 21 || status == 10, "Pausing or Waiting: " + status);
        JsonNode report = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, report.path("suspended").asInt(), report.toString());
        JsonNode paused = job(jobId);
        assertState(paused, 1, 10);
        assertEquals(FOREVER, paused.path("postponeuntil").asText());
        assertTrue(api.get("accounts(" + account + ")?$select=accountnumber").json().path("accountnumber").isNull(), "no step after the pause ran");
        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":0,\"statuscode\":0}").status());
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertEquals("ERP-1", api.get("accounts(" + account + ")?$select=accountnumber").json().path("accountnumber").asText());
    }

    @Test
    void processLogsAreReadableOnlyThroughTheirSystemJob() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = createAccount("Logged");
        String adminsJob = jobOf(account).path("asyncoperationid").asText();
        runUntilIdle();
        JsonNode logs = api.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + adminsJob).json().path("value");
        assertTrue(logs.size() > 0, "the run wrote its step log");
        String log = logs.get(0).path("workflowlogid").asText();

        dev.dve.server.testing.WebApi basic = as("basic@emulator.local");
        assertEquals(403, basic.get("asyncoperations(" + adminsJob + ")").status(), "another user's job (Basic depth)");
        assertEquals(403, basic.get("workflowlogs(" + log + ")").status(), "nor its log, even by id");
        assertEquals(0, basic.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + adminsJob).json().path("value").size(),
                "nor in a list");
        assertEquals(200, api.get("workflowlogs(" + log + ")").status());

        String onDemand = active(api, "Describe on demand", "set-description.xaml", "{\"ondemand\":true,\"mode\":0}");
        dev.dve.server.testing.WebApi runner = as("runner@emulator.local");
        String own = runner.post("accounts", "{\"name\":\"Runner's\"}", "Prefer", "return=representation").json().path("accountid").asText();
        String runnersJob = runner.post("workflows(" + onDemand + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + own + "\"}")
                .json().path("asyncoperationid").asText();
        runUntilIdle();
        JsonNode runnersLogs = runner.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + runnersJob).json().path("value");
        assertTrue(runnersLogs.size() > 0, "a user reads the logs of its own jobs");
        assertEquals(200, runner.get("workflowlogs(" + runnersLogs.get(0).path("workflowlogid").asText() + ")").status());
    }

    @Test
    void anOnDemandRunGoesAsTheUserWhoStartedItAndAnEventRunAsTheOwner() {
        String onDemand = active(api, "Describe on demand", "set-description.xaml", "{\"ondemand\":true,\"mode\":0}");
        dev.dve.server.testing.WebApi runner = as("runner@emulator.local");
        String own = runner.post("accounts", "{\"name\":\"Runner's\"}", "Prefer", "return=representation").json().path("accountid").asText();
        Response started = runner.post("workflows(" + onDemand + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + own + "\"}");
        assertEquals(200, started.status(), started.body());
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertState(job(started.json().path("asyncoperationid").asText()), 3, 30);
        JsonNode runnersAccount = api.get("accounts(" + own + ")?$select=description,_modifiedby_value").json();
        assertTrue(runnersAccount.path("description").asText().contains("Runner's"), runnersAccount.toString());
        assertEquals("00000000-0000-0000-0000-000000000104", runnersAccount.path("_modifiedby_value").asText(), "ran as the runner");

        active(api, "Describe on create", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String basics = as("basic@emulator.local").post("accounts", "{\"name\":\"Basic's\"}", "Prefer", "return=representation")
                .json().path("accountid").asText();
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertEquals("00000000-0000-0000-0000-000000000101", api.get("accounts(" + basics + ")?$select=_modifiedby_value").json()
                .path("_modifiedby_value").asText(), "an event's run goes as the workflow's owner");
    }

    @Test
    void aCallOutWithNoConnectionRetries() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertEquals(200, api.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                + closed + "/notify\"}").status());
        active(api, "Notify ERP later", "custom-activity.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String jobId = jobOf(createAccount("Offline")).path("asyncoperationid").asText();
        assertEquals(1, runUntilIdle().path("retrying").asInt());
        JsonNode job = job(jobId);
        assertState(job, 1, 10);
        assertEquals(0x80044306, job.path("errorcode").asInt());
        assertEquals("2026-03-02T09:00:36Z", job.path("postponeuntil").asText());
    }

    @Test
    void aRunningJobCanceledStopsAtItsNextStepBoundary() throws Exception {
        registerSlowErp();
        String account = createAccount("Canceled midway");
        String jobId = jobOf(account).path("asyncoperationid").asText();
        java.util.concurrent.CompletableFuture<JsonNode> run = runWhileTheCallOutTakesThreeSeconds(jobId, "ERP-2");
        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":3,\"statuscode\":32}").status());
        // Canceling until the worker reaches its next step boundary (it may already have: then it is Canceled)
        int status = job(jobId).path("statuscode").asInt();
        assertTrue(status == 22 || status == 32, "Canceling or Canceled: " + status);
        JsonNode report = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, report.path("canceled").asInt(), report.toString());
        assertState(job(jobId), 3, 32);
        assertTrue(api.get("accounts(" + account + ")?$select=accountnumber").json().path("accountnumber").isNull(), "no step after the cancel ran");
        assertRefused(api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":0,\"statuscode\":0}"), "0x80048408");
    }

    /** The ERP answers after three seconds: long enough for a person to act on the job while it is In Progress. */
    private void registerSlowErp() {
        assertEquals(200, api.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                + erp.port() + "/notify\"}").status());
        active(api, "Notify ERP later", "custom-activity.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
    }

    /** Runs the due jobs on another thread and answers once the job is In Progress, its call-out under way. */
    private java.util.concurrent.CompletableFuture<JsonNode> runWhileTheCallOutTakesThreeSeconds(String jobId, String erpNumber) {
        erp.stubFor(post(urlEqualTo("/notify")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"ErpNumber\":\"" + erpNumber + "\"}").withFixedDelay(3000)));
        java.util.concurrent.CompletableFuture<JsonNode> run = java.util.concurrent.CompletableFuture.supplyAsync(this::runUntilIdle);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (job(jobId).path("statecode").asInt() != 2) {
            assertTrue(System.nanoTime() < deadline, "the job never started");
            Thread.onSpinWait();
        }
        return run;
    }

    private static String enc(String fetchXml) {
        return java.net.URLEncoder.encode(fetchXml, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertRefused(Response r, String code) {
        assertEquals(400, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
    }
}
