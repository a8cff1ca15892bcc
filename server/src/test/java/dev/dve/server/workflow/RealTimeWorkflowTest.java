package dev.dve.server.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real-time workflows run inside the request: stages, rank, rollback, Business Process Errors, process sessions, run-as. */
class RealTimeWorkflowTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    private String createAccount(WebApi as, String body) {
        Response r = as.post("accounts", body, "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("accountid").asText();
    }

    private JsonNode account(String id) {
        return api.get("accounts(" + id + ")").json();
    }

    private int count(String query) {
        return api.get(query + (query.contains("?") ? "&" : "?") + "$count=true").json().path("@odata.count").asInt();
    }

    @Test
    void postOperationUpdatesTheCreatedRecord() {
        active(api, "Describe", "set-description.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        String id = createAccount(api, "{\"name\":\"Acme\"}");
        assertEquals("Created by workflow, for Acme", account(id).path("description").asText());
    }

    @Test
    void preOperationChangesTheValuesBeingWritten() {
        active(api, "Number", "pre-accountnumber.xaml", "{\"triggeroncreate\":true,\"createstage\":20}");
        Response r = api.post("accounts", "{\"name\":\"Pre\",\"telephone1\":\"555-7\"}", "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        assertEquals("AUTO-555-7", r.json().path("accountnumber").asText(), "written with the create itself");
        assertEquals(r.json().path("createdon").asText(), r.json().path("modifiedon").asText(), "no second write");
    }

    /** A pre-operation workflow on account create that makes the new account a child of {@code parent}. */
    private String parentSetBeforeTheWrite(String parent) {
        String xaml = WorkflowTestSupport.xaml("pre-accountnumber.xaml");
        int from = xaml.indexOf("<Sequence DisplayName=");
        int to = xaml.lastIndexOf("</Sequence>") + "</Sequence>".length();
        String step = "<Sequence DisplayName=\"UpdateStep1: parent it\">"
                + "<Assign x:TypeArguments=\"mxs:Entity\" To=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" Value=\"[New Entity(&quot;account&quot;)]\" />"
                + "<Assign x:TypeArguments=\"s:Guid\" To=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;).Id]\" Value=\"[InputEntities(&quot;primaryEntity&quot;).Id]\" />"
                + "<mxswa:SetEntityProperty Attribute=\"parentaccountid\" Entity=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" EntityName=\"account\""
                + " Value=\"[New EntityReference(&quot;account&quot;, &quot;" + parent + "&quot;)]\" />"
                + "<mxswa:UpdateEntity DisplayName=\"UpdateStep1\" Entity=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" EntityName=\"account\" />"
                + "<Assign x:TypeArguments=\"mxs:Entity\" To=\"[InputEntities(&quot;primaryEntity&quot;)]\" Value=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" />"
                + "</Sequence>";
        com.fasterxml.jackson.databind.node.ObjectNode d = WorkflowTestSupport.definition("Parent it", "pre-accountnumber.xaml",
                "{\"triggeroncreate\":true,\"createstage\":20}");
        d.put("xaml", xaml.substring(0, from) + step + xaml.substring(to));
        String id = WorkflowTestSupport.create(api, d);
        assertEquals(204, WorkflowTestSupport.activate(api, id).status());
        return id;
    }

    @Test
    void lookupsSetBeforeTheWriteAreCheckedAsTheCallersOwn() {
        String missing = "00000000-0000-0000-0000-00000000dead";
        String workflow = parentSetBeforeTheWrite(missing);
        int accounts = count("accounts");
        Response r = api.post("accounts", "{\"name\":\"Orphan\"}");
        assertEquals(404, r.status(), r.body());
        assertTrue(r.errorMessage().contains(missing), r.errorMessage());
        assertEquals(accounts, count("accounts"), "nothing is written");

        // a parent the basic user may not append to (Contoso belongs to another user; Basic depth only)
        assertEquals(204, api.patch("workflows(" + workflow + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        parentSetBeforeTheWrite(CONTOSO);
        Response refused = as("basic@emulator.local").post("accounts", "{\"name\":\"Adopted\"}");
        assertEquals(403, refused.status(), refused.body());
        assertEquals(accounts, count("accounts"), "nothing is written");
        Response allowed = api.post("accounts", "{\"name\":\"Adopted by admin\"}", "Prefer", "return=representation");
        assertEquals(201, allowed.status(), allowed.body());
        assertEquals(CONTOSO, allowed.json().path("_parentaccountid_value").asText());
    }

    /** A pre-operation create workflow on {@code entity} whose step sets {@code attribute} to the VB expression {@code value}. */
    private void setBeforeTheWrite(String entity, String attribute, String value) {
        String xaml = WorkflowTestSupport.xaml("pre-accountnumber.xaml");
        int from = xaml.indexOf("<Sequence DisplayName=");
        int to = xaml.lastIndexOf("</Sequence>") + "</Sequence>".length();
        String step = "<Sequence DisplayName=\"UpdateStep1: set " + attribute + "\">"
                + "<Assign x:TypeArguments=\"mxs:Entity\" To=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" Value=\"[New Entity(&quot;" + entity + "&quot;)]\" />"
                + "<Assign x:TypeArguments=\"s:Guid\" To=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;).Id]\" Value=\"[InputEntities(&quot;primaryEntity&quot;).Id]\" />"
                + "<mxswa:SetEntityProperty Attribute=\"" + attribute + "\" Entity=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" EntityName=\"" + entity + "\""
                + " Value=\"[" + value + "]\" />"
                + "<mxswa:UpdateEntity DisplayName=\"UpdateStep1\" Entity=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" EntityName=\"" + entity + "\" />"
                + "<Assign x:TypeArguments=\"mxs:Entity\" To=\"[InputEntities(&quot;primaryEntity&quot;)]\" Value=\"[CreatedEntities(&quot;primaryEntity#Temp&quot;)]\" />"
                + "</Sequence>";
        com.fasterxml.jackson.databind.node.ObjectNode d = WorkflowTestSupport.definition("Set " + attribute, "pre-accountnumber.xaml",
                "{\"triggeroncreate\":true,\"createstage\":20}");
        d.put("primaryentity", entity);
        d.put("xaml", xaml.substring(0, from) + step + xaml.substring(to));
        String id = WorkflowTestSupport.create(api, d);
        assertEquals(204, WorkflowTestSupport.activate(api, id).status());
    }

    /**
     * Create, update and delete run one message template: what a pre-operation step sets on create is treated as on
     * update — computed columns follow it, and an owner it sets moves the owning team and the owner's type.
     */
    @Test
    void valuesSetBeforeTheWriteOfACreateGetThePlatformColumnsTheyDrive() {
        setBeforeTheWrite("contact", "lastname", "&quot;Stepped&quot;");
        Response contact = api.post("contacts", "{\"firstname\":\"Ada\",\"lastname\":\"Given\"}", "Prefer", "return=representation");
        assertEquals(201, contact.status(), contact.body());
        assertEquals("Stepped", contact.json().path("lastname").asText());
        assertEquals("Ada Stepped", contact.json().path("fullname").asText(), "the full name follows the step's last name");

        String sales = "00000000-0000-0000-0000-0000000000c1";
        setBeforeTheWrite("account", "ownerid", "New EntityReference(&quot;team&quot;, &quot;" + sales + "&quot;)");
        Response account = api.post("accounts", "{\"name\":\"Team owned\"}", "Prefer", "return=representation");
        assertEquals(201, account.status(), account.body());
        assertEquals(sales, account.json().path("_ownerid_value").asText());
        assertEquals(sales, account.json().path("_owningteam_value").asText(), "the owning team follows the owner a step set");
        assertTrue(account.json().path("_owninguser_value").isNull() || account.json().path("_owninguser_value").isMissingNode(), account.body());
        assertEquals("00000000-0000-0000-0000-0000000000b1", account.json().path("_owningbusinessunit_value").asText(),
                "the owner's business unit");
    }

    @Test
    void valuesSetBeforeTheWriteMeetTheSameRules() {
        active(api, "Number", "pre-accountnumber.xaml", "{\"triggeroncreate\":true,\"createstage\":20}");
        int accounts = count("accounts");
        // accountnumber holds 20 characters; "AUTO-" + a 30-character phone number does not fit
        Response r = api.post("accounts", "{\"name\":\"Too long\",\"telephone1\":\"" + "9".repeat(30) + "\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("0x80044331", r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains("'accountnumber'"), r.errorMessage());
        assertEquals(accounts, count("accounts"), "nothing is written");
    }

    @Test
    void workflowsOfOneStageRunByRank() {
        active(api, "Append A", "append-a.xaml", "{\"triggeroncreate\":true,\"createstage\":20,\"rank\":2}");
        active(api, "Append B", "append-b.xaml", "{\"triggeroncreate\":true,\"createstage\":20,\"rank\":1}");
        String id = createAccount(api, "{\"name\":\"Ranked\",\"description\":\">\"}");
        assertEquals(">BA", account(id).path("description").asText(), "rank 1 before rank 2, whatever their creation order");
    }

    @Test
    void stopCanceledAbortsTheRequestAndRollsEverythingBack() {
        active(api, "Follow up", "create-task.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"rank\":1}");
        active(api, "Credit check", "credit-check.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"rank\":2}");
        active(api, "Background describe", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        int accounts = count("accounts");
        int tasks = count("tasks");
        int jobs = count("asyncoperations");

        Response refused = api.post("accounts", "{\"name\":\"BigCo\",\"creditlimit\":200000}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertEquals("Credit limit too high for BigCo", refused.errorMessage());
        assertEquals(accounts, count("accounts"), "the create is rolled back");
        assertEquals(tasks, count("tasks"), "the earlier workflow's task is rolled back");
        assertEquals(jobs, count("asyncoperations"), "no background job from the same event");

        String ok = createAccount(api, "{\"name\":\"SmallCo\",\"creditlimit\":100}");
        JsonNode task = api.get("tasks?$filter=_regardingobjectid_value%20eq%20" + ok).json().path("value").get(0);
        assertEquals("Follow up with SmallCo", task.path("subject").asText());
        assertEquals(2, task.path("prioritycode").asInt());
        assertEquals(jobs + 1, count("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + ok) + jobs, "the background workflow is queued");
        JsonNode job = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + ok).json().path("value").get(0);
        assertEquals(10, job.path("operationtype").asInt());
        assertEquals(0, job.path("statecode").asInt());
        assertTrue(account(ok).path("description").isNull(), "background workflows do not run inline");

        JsonNode recordsJobs = api.get("accounts(" + ok + ")/Account_AsyncOperations?$select=name,statecode").json().path("value");
        assertEquals(1, recordsJobs.size(), "a record's system jobs through regardingobjectid");
        assertEquals(job.path("asyncoperationid").asText(), recordsJobs.get(0).path("asyncoperationid").asText());
        String activation = job.path("_workflowactivationid_value").asText();
        JsonNode workflowsJobs = api.get("workflows(" + activation + ")/lk_asyncoperation_workflowactivationid?$select=name").json().path("value");
        assertEquals(1, workflowsJobs.size(), "a workflow's system jobs");
        JsonNode expanded = api.get("accounts(" + ok + ")?$select=name&$expand=Account_AsyncOperations($select=statuscode)").json();
        assertEquals(0, expanded.path("Account_AsyncOperations").get(0).path("statuscode").asInt());
    }

    @Test
    void failedRunsLeaveProcessSessionsOnlyWithTheFlag() {
        String logged = active(api, "Logged check", "credit-check.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"syncworkflowlogonfailure\":true}");
        assertEquals(400, api.post("accounts", "{\"name\":\"Logged\",\"creditlimit\":500000}").status());
        JsonNode sessions = api.get("processsessions?$filter=_processid_value%20eq%20" + logged).json().path("value");
        assertEquals(1, sessions.size(), "the session survives the rollback");
        JsonNode s = sessions.get(0);
        assertEquals(-2147220891, s.path("errorcode").asInt());
        assertEquals(6, s.path("statuscode").asInt());
        assertEquals(1, s.path("statecode").asInt());
        assertEquals("Credit limit too high for Logged", s.path("comments").asText());
        JsonNode viaWorkflow = api.get("workflows(" + logged + ")/lk_processsession_processid?$select=comments").json().path("value");
        assertEquals(1, viaWorkflow.size(), "a workflow's process sessions");
        assertEquals(s.path("processsessionid").asText(), viaWorkflow.get(0).path("processsessionid").asText());

        createAccount(api, "{\"name\":\"Fine\",\"creditlimit\":5}");
        assertEquals(1, api.get("processsessions?$filter=_processid_value%20eq%20" + logged).json().path("value").size(), "nothing logged for a success");

        api.patch("workflows(" + logged + ")", "{\"statecode\":0,\"statuscode\":1}").expect(204);
        String quiet = active(api, "Quiet check", "credit-check.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        assertEquals(400, api.post("accounts", "{\"name\":\"Quiet\",\"creditlimit\":500000}").status());
        assertEquals(0, api.get("processsessions?$filter=_processid_value%20eq%20" + quiet).json().path("value").size());
    }

    @Test
    void stepsRunAsTheCallingUserOrTheOwnerWithTheirPrivileges() {
        // a user who may create accounts but not tasks
        String role = api.post("roles", "{\"name\":\"Accounts only\",\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}",
                "Prefer", "return=representation").expect(201).json().path("roleid").asText();
        for (String p : new String[]{"prvCreateAccount", "prvReadAccount", "prvWriteAccount", "prvAppendAccount", "prvAppendToAccount"}) {
            String pid = api.get("privileges?$select=privilegeid&$filter=name%20eq%20'" + p + "'").expect(200).json().path("value").get(0).path("privilegeid").asText();
            api.post("roleprivilegescollection", "{\"roleid@odata.bind\":\"/roles(" + role + ")\",\"privilegeid@odata.bind\":\"/privileges(" + pid + ")\",\"privilegedepthmask\":8}").expect(204);
        }
        String user = api.post("systemusers", "{\"firstname\":\"Ann\",\"lastname\":\"Accounts\",\"domainname\":\"ann@emulator.local\",\"azureactivedirectoryobjectid\":\"00000000-0000-0000-0000-0000000c0001\","
                + "\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}", "Prefer", "return=representation").expect(201).json().path("systemuserid").asText();
        api.post("systemuserrolescollection", "{\"systemuserid@odata.bind\":\"/systemusers(" + user + ")\",\"roleid@odata.bind\":\"/roles(" + role + ")\"}").expect(204);
        WebApi ann = as("ann@emulator.local");

        String asCaller = active(api, "Task as caller", "create-task.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"runas\":1}");
        int accounts = count("accounts");
        Response refused = ann.post("accounts", "{\"name\":\"Ann's\"}");
        assertEquals(400, refused.status(), refused.body());
        assertEquals("0x80040265", refused.errorCode());
        assertTrue(refused.errorMessage().contains("prvCreateTask"), refused.errorMessage());
        assertEquals(accounts, count("accounts"));

        api.patch("workflows(" + asCaller + ")", "{\"statecode\":0,\"statuscode\":1}").expect(204);
        active(api, "Task as owner", "create-task.xaml", "{\"triggeroncreate\":true,\"createstage\":40,\"runas\":0}");
        String id = createAccount(ann, "{\"name\":\"Ann's\"}");
        JsonNode task = api.get("tasks?$filter=_regardingobjectid_value%20eq%20" + id).json().path("value").get(0);
        assertEquals("00000000-0000-0000-0000-000000000101", task.path("_createdby_value").asText(), "created as the workflow's owner");
    }

    @Test
    void relatedRecordsCanBeUpdated() {
        active(api, "Tell parent", "update-parent.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        createAccount(api, "{\"name\":\"Kid\",\"parentaccountid@odata.bind\":\"/accounts(" + CONTOSO + ")\"}");
        assertEquals("Child created: Kid", account(CONTOSO).path("description").asText());
        Response orphan = api.post("accounts", "{\"name\":\"Orphan\"}");
        assertEquals(400, orphan.status(), "no parent to update: the step fails, as in Dataverse");
        assertEquals("Entity Id must be specified for Update", orphan.errorMessage());
    }

    @Test
    void conditionsSetStateAndAssign() {
        active(api, "Retire temporary", "retire-temporary.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        String temp = createAccount(api, "{\"name\":\"Temporary Co\"}");
        String other = createAccount(api, "{\"name\":\"Regular\",\"customertypecode\":12}");
        String keeper = createAccount(api, "{\"name\":\"Keeper\",\"customertypecode\":3}");
        for (String id : new String[]{temp, other}) {
            JsonNode a = account(id);
            assertEquals(1, a.path("statecode").asInt());
            assertEquals(2, a.path("statuscode").asInt());
            assertEquals("00000000-0000-0000-0000-000000000102", a.path("_ownerid_value").asText());
        }
        assertEquals(0, account(keeper).path("statecode").asInt());
        assertEquals("00000000-0000-0000-0000-000000000101", account(keeper).path("_ownerid_value").asText());
    }

    @Test
    void sendEmailCreatesTheMessageWithItsRecipients() {
        active(api, "Welcome", "send-email.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
        String id = createAccount(api, "{\"name\":\"Mailed\",\"primarycontactid@odata.bind\":\"/contacts(00000000-0000-0000-0000-00000000c001)\"}");
        JsonNode mail = api.get("emails?$filter=_regardingobjectid_value%20eq%20" + id).json().path("value").get(0);
        assertEquals("Welcome, Mailed", mail.path("subject").asText());
        assertEquals(1, mail.path("statecode").asInt());
        assertEquals(3, mail.path("statuscode").asInt(), "Sent");
        JsonNode parties = api.get("activityparties?$filter=_activityid_value%20eq%20" + mail.path("activityid").asText()).json().path("value");
        assertEquals(1, parties.size());
        assertEquals(2, parties.get(0).path("participationtypemask").asInt(), "To recipient");
        assertEquals("00000000-0000-0000-0000-00000000c001", parties.get(0).path("_partyid_value").asText());
    }

    @Test
    void deleteInPreOperationCanBeStopped() {
        active(api, "Keep big accounts", "credit-check.xaml", "{\"triggerondelete\":true,\"deletestage\":20}");
        String big = createAccount(api, "{\"name\":\"Huge\",\"creditlimit\":900000}");
        Response r = api.delete("accounts(" + big + ")");
        assertEquals(400, r.status());
        assertEquals("Credit limit too high for Huge", r.errorMessage());
        assertEquals(200, api.get("accounts(" + big + ")").status());
        String small = createAccount(api, "{\"name\":\"Tiny\",\"creditlimit\":1}");
        assertEquals(204, api.delete("accounts(" + small + ")").status());
    }

    @Test
    void aWorkflowThatTriggersItselfIsStoppedAsAnInfiniteLoop() {
        active(api, "Loop", "append-a.xaml", "{\"triggeronupdateattributelist\":\"description\",\"updatestage\":40}");
        Response r = api.patch("accounts(" + CONTOSO + ")", "{\"description\":\"x\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("0x80040265", r.errorCode());
        assertTrue(r.errorMessage().contains("infinite loop"), r.errorMessage());
        assertTrue(account(CONTOSO).path("description").isNull(), "rolled back");
    }

    @Test
    void updateTriggersOnlyForTheListedAttributes() {
        active(api, "On phone change", "set-description.xaml", "{\"triggeronupdateattributelist\":\"telephone1\",\"updatestage\":40}");
        api.patch("accounts(" + CONTOSO + ")", "{\"websiteurl\":\"http://contoso.example\"}").expect(204);
        assertTrue(account(CONTOSO).path("description").isNull());
        api.patch("accounts(" + CONTOSO + ")", "{\"telephone1\":\"555-0199\"}").expect(204);
        assertEquals("Created by workflow, for Contoso Ltd", account(CONTOSO).path("description").asText());
    }
}
