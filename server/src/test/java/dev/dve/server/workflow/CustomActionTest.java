package dev.dve.server.workflow;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static dev.dve.server.workflow.WorkflowTestSupport.activate;
import static dev.dve.server.workflow.WorkflowTestSupport.create;
import static dev.dve.server.workflow.WorkflowTestSupport.definition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activated real-time workflows of category Action are OData actions named by their unique name. */
class CustomActionTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    @Test
    void boundActionRunsAndAnswersItsOutputs() {
        active(api, "Discount", "action-discount.xaml", "{\"category\":3,\"uniquename\":\"new_Discount\"}");
        assertTrue(api.get("$metadata").body().contains("Action Name=\"new_Discount\" IsBound=\"true\""), "declared in $metadata");

        Response r = api.post("accounts(" + CONTOSO + ")/Microsoft.Dynamics.CRM.new_Discount", "{\"Percent\":10}");
        assertEquals(200, r.status(), r.body());
        assertEquals("Discount applied to Contoso Ltd", r.json().path("Message").asText());
        assertTrue(r.json().path("@odata.context").asText().endsWith("$metadata#Microsoft.Dynamics.CRM.new_DiscountResponse"));
        assertEquals("Discount of 10", api.get("accounts(" + CONTOSO + ")?$select=description").json().path("description").asText());

        Response refused = api.post("accounts(" + CONTOSO + ")/Microsoft.Dynamics.CRM.new_Discount", "{\"Percent\":80}");
        assertEquals(400, refused.status());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Discount too large", refused.errorMessage());

        Response missing = api.post("accounts(" + CONTOSO + ")/Microsoft.Dynamics.CRM.new_Discount", "{}");
        assertEquals(400, missing.status());
        assertTrue(missing.errorMessage().contains("Percent"), missing.errorMessage());
    }

    @Test
    void unboundActionAndTheLifeCycleOfItsName() {
        assertEquals(404, api.post("new_Ping", "{\"Text\":\"hi\"}").status(), "not there before activation");
        String id = active(api, "Ping", "action-ping.xaml", "{\"category\":3,\"uniquename\":\"new_Ping\",\"primaryentity\":\"none\"}");
        Response r = api.post("new_Ping", "{\"Text\":\"hi\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("hi!", r.json().path("Echo").asText());
        assertEquals(204, api.patch("workflows(" + id + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        Response gone = api.post("new_Ping", "{\"Text\":\"hi\"}");
        assertEquals(404, gone.status());
        assertEquals("0x8006088a", gone.errorCode());
    }

    @Test
    void anActionNeedsAUniqueName() {
        String id = create(api, definition("Nameless", "action-ping.xaml", "{\"category\":3,\"primaryentity\":\"none\"}"));
        Response r = activate(api, id);
        assertEquals(400, r.status());
        assertTrue(r.errorMessage().contains("uniquename"), r.errorMessage());
    }

    @Test
    void aRefusalAfterAnUpdateRollsTheUpdateBack() {
        active(api, "Note then refuse", "action-note-then-refuse.xaml", "{\"category\":3,\"uniquename\":\"new_NoteThenRefuse\"}");
        String before = api.get("accounts(" + CONTOSO + ")?$select=description").json().path("description").asText();
        Response refused = api.post("accounts(" + CONTOSO + ")/Microsoft.Dynamics.CRM.new_NoteThenRefuse", "{\"Percent\":80}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Discount too large", refused.errorMessage());
        assertEquals(before, api.get("accounts(" + CONTOSO + ")?$select=description").json().path("description").asText(),
                "the action's earlier update rolled back with it");
        Response ok = api.post("accounts(" + CONTOSO + ")/Microsoft.Dynamics.CRM.new_NoteThenRefuse", "{\"Percent\":20}");
        assertEquals(204, ok.status(), ok.body());
        assertEquals("Discount of 20", api.get("accounts(" + CONTOSO + ")?$select=description").json().path("description").asText());
    }
}
