package dev.dve.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two privileges the mission names, and acting on behalf of another user. */
class SpecialPrivilegesTest extends EmulatorTest {
    private static final String XAML = "<Activity x:Class=\\\"XrmWorkflow\\\" xmlns=\\\"http://schemas.microsoft.com/netfx/2009/xaml/activities\\\" xmlns:x=\\\"http://schemas.microsoft.com/winfx/2006/xaml\\\" />";

    private String workflow(WebApi as, int mode, boolean onDemand) {
        Response r = as.post("workflows", "{\"name\":\"W\",\"category\":0,\"type\":1,\"scope\":1,\"primaryentity\":\"account\",\"mode\":" + mode
                + ",\"ondemand\":" + onDemand + ",\"triggeroncreate\":true,\"createstage\":40,\"xaml\":\"" + XAML + "\"}", "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("workflowid").asText();
    }

    private int state(String workflow) {
        return api.get("workflows(" + workflow + ")?$select=statecode").json().path("statecode").asInt();
    }

    @Test
    void activatingARealTimeWorkflowNeedsActivateRealTimeProcesses() {
        WebApi basic = as("basic@emulator.local");
        String realTime = workflow(basic, 1, false);
        Response refused = basic.patch("workflows(" + realTime + ")", "{\"statecode\":1,\"statuscode\":2}");
        assertEquals(403, refused.status(), refused.body());
        assertEquals("0x80040220", refused.errorCode());
        assertTrue(refused.errorMessage().contains("is missing prvActivateSynchronousWorkflow privilege"), refused.errorMessage());
        assertEquals(0, state(realTime), "still a draft");

        String background = workflow(basic, 0, false);
        assertEquals(204, basic.patch("workflows(" + background + ")", "{\"statecode\":1,\"statuscode\":2}").status(), "background needs write access only");
        assertEquals(1, state(background));

        WebApi maker = as("maker@emulator.local");
        String makers = workflow(maker, 1, false);
        assertEquals(204, maker.patch("workflows(" + makers + ")", "{\"statecode\":1,\"statuscode\":2}").status());
        assertEquals(1, state(makers));
    }

    @Test
    void basicUserReadsEveryProcessButWritesOnlyItsOwn() {
        String colleagues = workflow(api, 0, true);
        WebApi basic = as("basic@emulator.local");
        String own = workflow(basic, 0, true);

        Response read = basic.get("workflows(" + colleagues + ")?$select=name");
        assertEquals(200, read.status(), read.body());
        java.util.Set<String> listed = new java.util.HashSet<>();
        basic.get("workflows?$select=workflowid").json().path("value").forEach(w -> listed.add(w.path("workflowid").asText()));
        assertTrue(listed.contains(colleagues) && listed.contains(own), "a colleague's process and one's own are both listed");

        Response write = basic.patch("workflows(" + colleagues + ")", "{\"description\":\"mine now\"}");
        assertEquals(403, write.status(), write.body());
        assertEquals(403, basic.delete("workflows(" + colleagues + ")").status());
        assertEquals(200, api.get("workflows(" + colleagues + ")").status(), "a colleague's process stays");

        assertEquals(204, basic.patch("workflows(" + own + ")", "{\"description\":\"edited\"}").status());
        assertEquals(204, basic.delete("workflows(" + own + ")").status());
        assertEquals(404, api.get("workflows(" + own + ")").status());
    }

    @Test
    void executeWorkflowNeedsExecuteWorkflowJob() {
        String onDemand = workflow(api, 0, true);
        String draft = workflow(api, 0, true);
        String automatic = workflow(api, 0, false);
        api.patch("workflows(" + onDemand + ")", "{\"statecode\":1,\"statuscode\":2}");
        api.patch("workflows(" + automatic + ")", "{\"statecode\":1,\"statuscode\":2}");
        int jobsBefore = api.get("asyncoperations?$count=true").json().path("@odata.count").asInt();

        WebApi basic = as("basic@emulator.local");
        String basicAccount = basic.post("accounts", "{\"name\":\"Mine\"}", "Prefer", "return=representation").json().path("accountid").asText();
        Response refused = basic.post("workflows(" + onDemand + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + basicAccount + "\"}");
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.errorMessage().contains("is missing prvWorkflowExecution privilege"), refused.errorMessage());
        assertEquals(jobsBefore, api.get("asyncoperations?$count=true").json().path("@odata.count").asInt(), "no job queued");

        WebApi runner = as("runner@emulator.local");
        String account = runner.post("accounts", "{\"name\":\"Run on me\"}", "Prefer", "return=representation").json().path("accountid").asText();
        Response ok = runner.post("workflows(" + onDemand + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + account + "\"}");
        assertEquals(200, ok.status(), ok.body());
        String jobId = ok.json().path("asyncoperationid").asText();
        assertEquals(jobId, ok.json().path("Id").asText());
        JsonNode job = api.get("asyncoperations(" + jobId + ")").json();
        assertEquals(10, job.path("operationtype").asInt());
        assertEquals(0, job.path("statecode").asInt());
        assertEquals(account, job.path("_regardingobjectid_value").asText());
        String activation = api.get("workflows(" + onDemand + ")?$select=_activeworkflowid_value").json().path("_activeworkflowid_value").asText();
        assertEquals(activation, job.path("_workflowactivationid_value").asText(), "jobs point at the activation");
        assertEquals("00000000-0000-0000-0000-000000000104", job.path("_ownerid_value").asText(), "runs as the calling user");

        Response unpublished = runner.post("workflows(" + draft + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + account + "\"}");
        assertEquals(400, unpublished.status());
        assertEquals("Workflow must be in Published state.", unpublished.errorMessage());
        assertEquals("0x80045047", unpublished.errorCode());
        Response notOnDemand = runner.post("workflows(" + automatic + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"" + account + "\"}");
        assertEquals("0x80045046", notOnDemand.errorCode());
        Response noRecord = runner.post("workflows(" + onDemand + ")/Microsoft.Dynamics.CRM.ExecuteWorkflow", "{\"EntityId\":\"00000000-0000-0000-0000-00000000ffff\"}");
        assertEquals(404, noRecord.status());
        assertEquals(jobsBefore + 1, api.get("asyncoperations?$count=true").json().path("@odata.count").asInt());
    }

    @Test
    void impersonationNeedsActOnBehalfOfAnotherUser() {
        String basicId = "00000000-0000-0000-0000-000000000105";
        WebApi admin = as("admin@emulator.local");
        assertEquals(basicId, admin.get("WhoAmI", "MSCRMCallerID", basicId).json().path("UserId").asText());
        assertEquals(basicId, admin.get("WhoAmI", "CallerObjectId", "00000000-0000-0000-0000-0000000a0105").json().path("UserId").asText());

        JsonNode created = admin.post("accounts", "{\"name\":\"On behalf\"}", "MSCRMCallerID", basicId, "Prefer", "return=representation").json();
        assertEquals(basicId, created.path("_createdby_value").asText());
        assertEquals("00000000-0000-0000-0000-000000000102", created.path("_createdonbehalfby_value").asText());
        assertEquals(basicId, created.path("_ownerid_value").asText());

        int visible = admin.get("accounts?$count=true", "MSCRMCallerID", basicId).json().path("@odata.count").asInt();
        assertEquals(2, visible, "the impersonated user's read depth applies: its own two accounts");

        Response refused = as("basic@emulator.local").get("WhoAmI", "MSCRMCallerID", "00000000-0000-0000-0000-000000000102");
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.errorMessage().contains("prvActOnBehalfOfAnotherUser"), refused.errorMessage());
    }
}
