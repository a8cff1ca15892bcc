package dev.dve.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static dev.dve.server.workflow.WorkflowTestSupport.create;
import static dev.dve.server.workflow.WorkflowTestSupport.definition;
import static dev.dve.server.workflow.WorkflowTestSupport.xaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's Workflows page over HTTP (on loopback, so without a token): backlog per workflow definition, Start/Stop
 * seen through the Web API, edits of a running workflow kept pending until Stop and Start, and bad input refused.
 */
class WorkflowsConsoleTest extends EmulatorTest {
    private static final String BACKGROUND_ON_CREATE = "{\"triggeroncreate\":true,\"mode\":0}";
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private JsonNode rows() {
        Response r = anonymous.get("/console/api/workflows");
        assertEquals(200, r.status(), r.body());
        return r.json().path("value");
    }

    private JsonNode row(String id) {
        JsonNode found = null;
        for (JsonNode w : rows()) {
            if (w.path("workflowid").asText().equals(id)) {
                assertTrue(found == null, "one row per definition");
                found = w;
            }
        }
        assertTrue(found != null, "workflow " + id + " is listed: " + rows());
        return found;
    }

    private JsonNode action(String id, String action) {
        Response r = anonymous.post("/console/api/workflows/" + id + "/" + action, "");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private JsonNode workflow(String id) {
        Response r = api.get("workflows(" + id + ")?$select=name,xaml,statecode,statuscode,_activeworkflowid_value");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private String jobOf(String accountId) {
        JsonNode jobs = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + accountId).json().path("value");
        assertEquals(1, jobs.size(), jobs.toString());
        return jobs.get(0).path("asyncoperationid").asText();
    }

    private static String edit(String name, String xaml) {
        return JSON.createObjectNode().put("name", name).put("description", "edited in the console").put("xaml", xaml).toString();
    }

    @Test
    void thePageIsServedWithItsScript() {
        Response page = anonymous.get("/console/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("<th>Backlog</th>") && page.body().contains("console.js"), page.body());
        Response script = anonymous.get("/console/console.js");
        assertEquals(200, script.status());
        assertTrue(script.body().contains("api/workflows"));
        assertEquals(404, anonymous.get("/console/logback.xml").status(), "only the console's own files are served");
        assertEquals(404, anonymous.get("/console/nothing.html").status());
    }

    @Test
    void backlogCountsReadyJobsAndThoseSuspendedUntilATime() {
        String busy = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        String idle = create(api, definition("Never started", "set-description.xaml", BACKGROUND_ON_CREATE));
        String[] jobs = new String[4];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = jobOf(api.createAccount("Account " + i));
        }
        assertEquals(204, api.patch("asyncoperations(" + jobs[0] + ")", "{\"postponeuntil\":\"2026-03-02T10:00:00Z\"}").status());
        assertEquals(204, api.patch("asyncoperations(" + jobs[1] + ")", "{\"statecode\":3,\"statuscode\":32}").status());

        JsonNode b = row(busy);
        assertEquals(3, b.path("backlog").asLong(), "two Ready and one postponed to 10:00, not the canceled one: " + b);
        assertEquals("RUNNING", b.path("status").asText());
        assertEquals("Describe later", b.path("name").asText());
        assertEquals(0, row(idle).path("backlog").asLong());
        assertEquals("STOPPED", row(idle).path("status").asText());
        long copies = 0;
        for (JsonNode w : rows()) {
            copies += w.path("name").asText().equals("Describe later") ? 1 : 0;
        }
        assertEquals(1, copies, "the activation copy is not a row of its own");

        assertEquals(2, api.runUntilIdle().path("succeeded").asInt());
        assertEquals(1, row(busy).path("backlog").asLong(), "the postponed job waits for 10:00");
        api.clock(null, "PT1H");
        assertEquals(1, api.runUntilIdle().path("succeeded").asInt());
        assertEquals(0, row(busy).path("backlog").asLong());
    }

    @Test
    void startAndStopToggleTheWorkflowsState() {
        String id = create(api, definition("Describe later", "set-description.xaml", BACKGROUND_ON_CREATE));
        assertEquals("STOPPED", row(id).path("status").asText());

        JsonNode started = action(id, "start");
        assertEquals("RUNNING", started.path("status").asText(), started.toString());
        assertEquals(1, started.path("statecode").asInt());
        JsonNode w = workflow(id);
        assertEquals(1, w.path("statecode").asInt(), w.toString());
        assertEquals(2, w.path("statuscode").asInt(), w.toString());
        jobOf(api.createAccount("Queued while running"));
        assertEquals(1, row(id).path("backlog").asLong());

        JsonNode stopped = action(id, "stop");
        assertEquals("STOPPED", stopped.path("status").asText(), stopped.toString());
        w = workflow(id);
        assertEquals(0, w.path("statecode").asInt(), w.toString());
        assertEquals(1, w.path("statuscode").asInt(), w.toString());
        String after = api.createAccount("Created while stopped");
        assertEquals(0, api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + after).json().path("value").size(),
                "a stopped workflow queues nothing");
        assertEquals("STOPPED", action(id, "stop").path("status").asText(), "Stop of a stopped workflow changes nothing");
    }

    @Test
    void anEditOfARunningWorkflowWaitsForStopAndStart() {
        String id = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        String changed = xaml("set-description.xaml").replace("Created by workflow", "Changed by console");

        Response saved = anonymous.put("/console/api/workflows/" + id, edit("Describe differently", changed));
        assertEquals(200, saved.status(), saved.body());
        assertTrue(saved.json().path("pending").asBoolean(), saved.body());
        assertEquals("RUNNING", saved.json().path("status").asText());
        assertTrue(row(id).path("pending").asBoolean(), "the list shows the warning");
        assertEquals("Describe differently", row(id).path("pendingChange").path("name").asText());
        JsonNode w = workflow(id);
        assertEquals("Describe later", w.path("name").asText(), "the running definition is unchanged");
        assertTrue(w.path("xaml").asText().contains("Created by workflow"), "the Web API still shows the old XAML");
        JsonNode form = anonymous.get("/console/api/workflows/" + id).json();
        assertTrue(form.path("xaml").asText().contains("Changed by console"), "the edit form starts from the pending change");

        String before = api.createAccount("Before");
        api.runUntilIdle();
        assertTrue(api.get("accounts(" + before + ")?$select=description").json().path("description").asText().startsWith("Created by workflow"));

        assertTrue(action(id, "stop").path("pending").asBoolean(), "Stop alone applies nothing");
        assertTrue(workflow(id).path("xaml").asText().contains("Created by workflow"));
        JsonNode started = action(id, "start");
        assertFalse(started.path("pending").asBoolean(), started.toString());
        assertEquals("RUNNING", started.path("status").asText());
        w = workflow(id);
        assertEquals("Describe differently", w.path("name").asText());
        assertTrue(w.path("xaml").asText().contains("Changed by console"), "Start applied the change");
        assertEquals(1, w.path("statecode").asInt());

        String afterwards = api.createAccount("After");
        api.runUntilIdle();
        assertTrue(api.get("accounts(" + afterwards + ")?$select=description").json().path("description").asText().startsWith("Changed by console"),
                "the new activation runs the edited XAML");
    }

    @Test
    void anEditOfAStoppedWorkflowIsWrittenAtOnce() {
        String id = create(api, definition("Describe later", "set-description.xaml", BACKGROUND_ON_CREATE));
        String changed = xaml("set-description.xaml").replace("Created by workflow", "Changed by console");
        Response saved = anonymous.put("/console/api/workflows/" + id, edit("Renamed", changed));
        assertEquals(200, saved.status(), saved.body());
        assertFalse(saved.json().path("pending").asBoolean(), saved.body());
        assertEquals("Renamed", workflow(id).path("name").asText());
        assertTrue(workflow(id).path("xaml").asText().contains("Changed by console"));
    }

    @Test
    void anEditAfterStopKeepsWhatThePendingChangeHeld() {
        String id = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        String changed = xaml("set-description.xaml").replace("Created by workflow", "Changed by console");
        assertEquals(200, anonymous.put("/console/api/workflows/" + id, edit("Pending name", changed)).status());
        action(id, "stop");
        Response saved = anonymous.put("/console/api/workflows/" + id, "{\"name\":\"Final name\"}");
        assertEquals(200, saved.status(), saved.body());
        assertFalse(saved.json().path("pending").asBoolean());
        JsonNode w = workflow(id);
        assertEquals("Final name", w.path("name").asText());
        assertTrue(w.path("xaml").asText().contains("Changed by console"), "the pending XAML was written with the new name");
    }

    @Test
    void aPendingChangeTheEngineRefusesKeepsTheWorkflowStopped() {
        String id = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        assertEquals(200, anonymous.put("/console/api/workflows/" + id, edit("Unregistered call-out", xaml("custom-activity.xaml").replace("Contoso.Workflows.NotifyErp", "Contoso.Workflows.NeverRegistered"))).status());
        action(id, "stop");
        Response start = anonymous.post("/console/api/workflows/" + id + "/start", "");
        assertEquals(400, start.status(), start.body());
        assertTrue(start.errorCode().startsWith("0x"), start.body());
        JsonNode r = row(id);
        assertEquals("STOPPED", r.path("status").asText());
        assertTrue(r.path("pending").asBoolean(), "the refused change is still pending: " + r);
        assertEquals("Describe later", workflow(id).path("name").asText(), "nothing of the change was written");
    }

    @Test
    void aWorkflowWhoseLastJobsAllFailedIsFailed() {
        erp.stubFor(post(urlEqualTo("/notify")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"The ERP refuses this account.\"}")));
        assertEquals(200, api.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                + erp.port() + "/notify\"}").status());
        String id = active(api, "Notify ERP", "custom-activity.xaml", BACKGROUND_ON_CREATE);
        for (int i = 0; i < WorkflowBoard.FAILED_RUN; i++) {
            api.createAccount("Refused " + i);
            assertEquals("RUNNING", row(id).path("status").asText(), "after " + i + " failures");
            assertEquals(1, api.runUntilIdle().path("failed").asInt());
        }
        JsonNode r = row(id);
        assertEquals("FAILED", r.path("status").asText(), r.toString());
        assertTrue(r.path("problem").asText().contains("failed"), r.toString());
        action(id, "stop");
        assertEquals("STOPPED", row(id).path("status").asText());
    }

    @Test
    void onLoopbackATokenMustStillBeASystemAdministrators() {
        String id = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        Response basic = as("basic@emulator.local").post("/console/api/workflows/" + id + "/stop", "");
        assertEquals(403, basic.status(), basic.body());
        assertEquals(1, workflow(id).path("statecode").asInt(), "the refusal changed nothing");
        Response admin = api.post("/console/api/workflows/" + id + "/stop", "");
        assertEquals(200, admin.status(), admin.body());
        assertEquals(0, workflow(id).path("statecode").asInt());
    }

    @Test
    void badInputIsRefusedWithDataverseErrors() {
        String id = active(api, "Describe later", "set-description.xaml", BACKGROUND_ON_CREATE);
        Response notGuid = anonymous.post("/console/api/workflows/not-a-guid/start", "");
        assertEquals(400, notGuid.status(), notGuid.body());
        assertEquals("0x80040203", notGuid.errorCode());
        Response missing = anonymous.post("/console/api/workflows/00000000-0000-0000-0000-00000000dead/stop", "");
        assertEquals(404, missing.status(), missing.body());
        assertEquals(400, anonymous.put("/console/api/workflows/" + id, "{not json").status());
        assertEquals(400, anonymous.put("/console/api/workflows/" + id, "[1]").status());
        assertEquals(400, anonymous.put("/console/api/workflows/" + id, "{\"name\":42}").status());
        assertEquals(400, anonymous.put("/console/api/workflows/" + id, "{\"name\":\"  \"}").status());
        Response badXaml = anonymous.put("/console/api/workflows/" + id, "{\"xaml\":\"<Activity\"}");
        assertEquals(400, badXaml.status(), badXaml.body());
        assertFalse(row(id).path("pending").asBoolean(), "refused edits leave nothing pending");
        assertEquals(405, anonymous.get("/console/api/workflows/" + id + "/start").status());
        assertEquals(404, anonymous.get("/console/api/nothing").status());
        String activation = workflow(id).path("_activeworkflowid_value").asText();
        Response copy = anonymous.post("/console/api/workflows/" + activation + "/stop", "");
        assertEquals(400, copy.status(), "an activation copy is not a definition: " + copy.body());
    }

    @Test
    void aResetForgetsPendingChanges() {
        String fixed = "{\"triggeroncreate\":true,\"mode\":0,\"workflowid\":\"00000000-0000-0000-0000-00000000c0de\"}";
        String id = active(api, "Describe later", "set-description.xaml", fixed);
        assertEquals(200, anonymous.put("/console/api/workflows/" + id, "{\"name\":\"Pending\"}").status());
        assertTrue(row(id).path("pending").asBoolean());
        assertEquals(200, api.post("/admin/reset", "{}").status());
        assertEquals(id, active(api, "Describe later", "set-description.xaml", fixed));
        assertFalse(row(id).path("pending").asBoolean(), "the same workflow id after a reset has no pending change");
    }
}
