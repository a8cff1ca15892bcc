package dev.dve.server.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static dev.dve.server.workflow.WorkflowTestSupport.activate;
import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static dev.dve.server.workflow.WorkflowTestSupport.create;
import static dev.dve.server.workflow.WorkflowTestSupport.definition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activation and deactivation: validation, the frozen activation copy, the lock while activated, custom activities. */
class ActivationTest extends EmulatorTest {

    private JsonNode workflow(String id) {
        return api.get("workflows(" + id + ")").json();
    }

    private void assertRefused(Response r, String code, String part) {
        assertEquals(400, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains(part), r.errorMessage());
    }

    @Test
    void activationMakesAFrozenCopyAndDeactivationRetiresIt() {
        String id = active(api, "Describe", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        JsonNode definition = workflow(id);
        assertEquals(1, definition.path("statecode").asInt());
        assertEquals(2, definition.path("statuscode").asInt());
        String activation = definition.path("_activeworkflowid_value").asText();
        JsonNode copy = workflow(activation);
        assertEquals(2, copy.path("type").asInt(), "type 2 Activation");
        assertEquals(id, copy.path("_parentworkflowid_value").asText());
        assertEquals(definition.path("xaml").asText(), copy.path("xaml").asText());
        assertEquals(1, copy.path("statecode").asInt());

        assertRefused(api.patch("workflows(" + activation + ")", "{\"name\":\"x\"}"), "0x80045003", "Cannot update a workflow activation.");

        assertEquals(204, api.patch("workflows(" + id + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        assertTrue(workflow(id).path("_activeworkflowid_value").isNull());
        assertEquals(0, workflow(activation).path("statecode").asInt(), "the activation is retired");
        String account = api.post("accounts", "{\"name\":\"After\"}", "Prefer", "return=representation").expect(201).json().path("accountid").asText();
        assertTrue(api.get("accounts(" + account + ")").json().path("description").isNull(), "a deactivated workflow no longer runs");

        assertEquals(204, activate(api, id).status(), "activated again");
        String second = workflow(id).path("_activeworkflowid_value").asText();
        assertTrue(!second.equals(activation), "a new activation");
    }

    @Test
    void anActivatedDefinitionIsLocked() {
        String id = active(api, "Locked", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        String xaml = workflow(id).path("xaml").asText();
        assertRefused(api.patch("workflows(" + id + ")", "{\"mode\":0}"), "0x80045002", "Cannot update a published workflow definition.");
        assertRefused(api.patch("workflows(" + id + ")", "{\"xaml\":\"<Activity/>\"}"), "0x80045002", "published");
        assertRefused(api.patch("workflows(" + id + ")", "{\"triggeroncreate\":false}"), "0x80045002", "published");
        assertEquals(xaml, workflow(id).path("xaml").asText());
        assertEquals(1, workflow(id).path("mode").asInt());
        assertEquals(204, api.patch("workflows(" + id + ")", "{\"description\":\"notes may change\"}").status());
        assertRefused(api.delete("workflows(" + id + ")"), "0x8004500f", "Cannot delete an active workflow definition.");

        assertEquals(204, api.patch("workflows(" + id + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        assertEquals(204, api.patch("workflows(" + id + ")", "{\"mode\":0}").status(), "the mode changes in draft");
        assertEquals(0, workflow(id).path("mode").asInt());
    }

    @Test
    void realTimeWorkflowsCannotWait() {
        String rt = create(api, definition("Wait RT", "wait-for-credit-hold.xaml", "{\"triggeroncreate\":true,\"createstage\":40}"));
        assertRefused(activate(api, rt), "0x80045014", "cannot contain a wait condition");
        assertEquals(0, workflow(rt).path("statecode").asInt(), "still a draft");
        String bg = create(api, definition("Wait BG", "wait-for-credit-hold.xaml", "{\"triggeroncreate\":true,\"mode\":0}"));
        assertEquals(204, activate(api, bg).status(), "a background workflow may wait");
    }

    @Test
    void realTimeTriggersNeedTheirStage() {
        String noCreateStage = create(api, definition("No stage", "set-description.xaml", "{\"triggeroncreate\":true}"));
        assertRefused(activate(api, noCreateStage), "0x80045014", "createstage");
        String noUpdateStage = create(api, definition("No stage", "set-description.xaml", "{\"triggeronupdateattributelist\":\"name\"}"));
        assertRefused(activate(api, noUpdateStage), "0x80045014", "updatestage");
        String badAttribute = create(api, definition("Bad attribute", "set-description.xaml",
                "{\"triggeronupdateattributelist\":\"name,nosuchcolumn\",\"updatestage\":40}"));
        assertRefused(activate(api, badAttribute), "0x80045014", "nosuchcolumn");
    }

    @Test
    void unknownActivitiesAndUnreadableXamlAreRefused() {
        String unknown = create(api, definition("Unknown", "unknown-activity.xaml", "{\"triggeroncreate\":true,\"createstage\":40}"));
        assertRefused(activate(api, unknown), "0x80045045", "Microsoft.Crm.Workflow.Activities.Frobnicate");
        String broken = create(api, definition("Broken", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"xaml\":\"<Activity><unclosed></Activity>\"}"));
        assertRefused(activate(api, broken), "0x80045045", "cannot be deserialized");
        String unregistered = create(api, definition("Custom", "custom-activity.xaml", "{\"triggeroncreate\":true,\"createstage\":40}"));
        assertRefused(activate(api, unregistered), "0x80045014", "Contoso.Workflows.NotifyErp");
    }

    @Test
    void customActivitiesRunThroughTheirCallOut() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        HttpServer erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/notify", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.set(body);
            boolean refuse = body.contains("Blocked");
            byte[] answer = (refuse ? "{\"message\":\"The ERP refuses Blocked accounts.\"}" : "{\"ErpNumber\":\"ERP-42\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(refuse ? 400 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        erp.start();
        try {
            assertEquals(200, api.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                    + erp.getAddress().getPort() + "/notify\"}").status());
            active(api, "Notify ERP", "custom-activity.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
            String id = api.post("accounts", "{\"name\":\"Shipped\"}", "Prefer", "return=representation").expect(201).json().path("accountid").asText();
            assertEquals("ERP-42", api.get("accounts(" + id + ")").json().path("accountnumber").asText(), "the output argument is used by a later step");
            JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(received.get());
            assertEquals("Shipped", sent.path("inputs").path("AccountName").asText());
            assertTrue(sent.path("context").has("userId"));

            Response refused = api.post("accounts", "{\"name\":\"Blocked\"}");
            assertEquals(400, refused.status());
            assertEquals("0x80040265", refused.errorCode());
            assertEquals("The ERP refuses Blocked accounts.", refused.errorMessage(), "InvalidPluginExecutionException's message is kept");
        } finally {
            erp.stop(0);
        }
    }
}
