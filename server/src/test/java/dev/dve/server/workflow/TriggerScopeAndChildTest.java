package dev.dve.server.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static dev.dve.server.workflow.WorkflowTestSupport.activate;
import static dev.dve.server.workflow.WorkflowTestSupport.create;
import static dev.dve.server.workflow.WorkflowTestSupport.definition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whose records trigger a workflow (its scope, relative to its owner), and child workflows. */
class TriggerScopeAndChildTest extends EmulatorTest {
    private static final String CHILD = "00000000-0000-0000-0000-00000000c4d1";

    private String description(WebApi as, String name) {
        String id = as.post("accounts", "{\"name\":\"" + name + "\"}", "Prefer", "return=representation").json().path("accountid").asText();
        JsonNode d = api.get("accounts(" + id + ")?$select=description").json().path("description");
        return d.isNull() ? null : d.asText();
    }

    @Test
    void scopeUserRunsOnTheOwnersRecordsOnly() {
        active(api, "Mine only", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"scope\":1}");
        assertEquals("Created by workflow, for Owned", description(api, "Owned"));
        assertEquals(null, description(as("basic@emulator.local"), "Someone else's"));
    }

    @Test
    void scopeBusinessUnitAndParentChild() {
        WebApi admin = as("admin@emulator.local");
        String unit = active(admin, "My unit", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"scope\":2}");
        assertEquals("Created by workflow, for Maker's", description(as("maker@emulator.local"), "Maker's"), "same business unit");
        assertEquals(null, description(as("basic@emulator.local"), "Basic's"), "the child unit is out of scope 2");
        admin.patch("workflows(" + unit + ")", "{\"statecode\":0,\"statuscode\":1}");
        active(admin, "My unit and below", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"scope\":3}");
        assertEquals("Created by workflow, for Basic's", description(as("basic@emulator.local"), "Basic's"), "scope 3 reaches the child unit");
    }

    @Test
    void realTimeChildRunsInlineAndBackgroundChildIsQueued() {
        var child = definition("Child", "set-description.xaml", "{\"subprocess\":true}");
        child.put("workflowid", CHILD);
        create(api, child);
        active(api, "Parent", "start-child.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");

        Response unpublished = api.post("accounts", "{\"name\":\"Early\"}");
        assertEquals(400, unpublished.status(), "the child is not published yet");
        assertTrue(unpublished.errorMessage().contains("child workflows"), unpublished.errorMessage());

        assertEquals(204, activate(api, CHILD).status());
        assertEquals("Created by workflow, for Inline", description(api, "Inline"), "a real-time child runs in the same request");

        api.patch("workflows(" + CHILD + ")", "{\"statecode\":0,\"statuscode\":1}").expect(204);
        api.patch("workflows(" + CHILD + ")", "{\"mode\":0}").expect(204);
        assertEquals(204, activate(api, CHILD).status());
        String id = api.post("accounts", "{\"name\":\"Queued\"}", "Prefer", "return=representation").expect(201).json().path("accountid").asText();
        assertTrue(api.get("accounts(" + id + ")?$select=description").json().path("description").isNull());
        JsonNode jobs = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + id).json().path("value");
        assertEquals(1, jobs.size());
        String activation = api.get("workflows(" + CHILD + ")?$select=_activeworkflowid_value").json().path("_activeworkflowid_value").asText();
        assertEquals(activation, jobs.get(0).path("_workflowactivationid_value").asText());
    }
}
