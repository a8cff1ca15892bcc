package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delete follows the delete cascade of every relationship in which the row is the referenced one, as Dataverse's
 * shipped relationships are configured: referencing rows go with it (Cascade), lose their lookup (RemoveLink), keep
 * it dangling (NoCascade), or the delete is refused while they exist (Restrict).
 */
class CascadeDeleteTest extends EmulatorTest {
    private static final String ROOT_UNIT = "00000000-0000-0000-0000-0000000000b0";

    private String create(String set, String idField, String body) {
        Response r = api.post(set, body, "Prefer", "return=representation");
        assertEquals(201, r.status(), set + ": " + r.body());
        return r.json().path(idField).asText();
    }

    private int status(String path) {
        return api.get(path).status();
    }

    private String task(String subject, String regarding) {
        return create("tasks", "activityid", "{\"subject\":\"" + subject + "\",\"regardingobjectid_" + regarding + "\"}");
    }

    @Test
    void deletingAnAccountTakesItsActivitiesAndItsContactsWithThem() {
        String account = api.createAccount("Parent");
        String other = api.createAccount("Bystander");
        String task = task("Call", "account@odata.bind\":\"/accounts(" + account + ")");
        String email = create("emails", "activityid", "{\"subject\":\"Hello\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        String otherTask = task("Unrelated", "account@odata.bind\":\"/accounts(" + other + ")");
        String contact = create("contacts", "contactid", "{\"lastname\":\"Employee\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        String contactTask = task("Contact's", "contact@odata.bind\":\"/contacts(" + contact + ")");

        assertEquals(204, api.delete("accounts(" + account + ")").status());

        assertEquals(404, status("accounts(" + account + ")"));
        assertEquals(404, status("tasks(" + task + ")"), "Account_Tasks cascades the delete");
        assertEquals(404, status("emails(" + email + ")"), "Account_Emails cascades the delete");
        assertEquals(404, status("contacts(" + contact + ")"), "contact_customer_accounts is parental");
        assertEquals(404, status("tasks(" + contactTask + ")"), "and the contact's own activities go with it");
        assertEquals(200, status("tasks(" + otherTask + ")"), "another account's task stays");
        assertEquals(200, status("accounts(" + other + ")"));
    }

    @Test
    void removeLinkClearsTheLookupOfTheRowsThatStay() {
        String parent = api.createAccount("Holding");
        String child = create("accounts", "accountid", "{\"name\":\"Subsidiary\",\"parentaccountid@odata.bind\":\"/accounts(" + parent + ")\"}");
        JsonNode before = api.get("accounts(" + child + ")?$select=versionnumber,modifiedon").json();

        assertEquals(204, api.delete("accounts(" + parent + ")").status());

        JsonNode after = api.get("accounts(" + child + ")?$select=_parentaccountid_value,versionnumber").json();
        assertTrue(after.path("_parentaccountid_value").isNull(), after.toString());
        assertTrue(after.path("versionnumber").asLong() > before.path("versionnumber").asLong(), "clearing the link is a write: " + after);

        // a contact's parent contact, and an account's primary contact
        String boss = create("contacts", "contactid", "{\"lastname\":\"Boss\"}");
        String report = create("contacts", "contactid", "{\"lastname\":\"Report\",\"parentcustomerid_contact@odata.bind\":\"/contacts(" + boss + ")\"}");
        String company = create("accounts", "accountid", "{\"name\":\"Led\",\"primarycontactid@odata.bind\":\"/contacts(" + boss + ")\"}");
        assertEquals(204, api.delete("contacts(" + boss + ")").status());
        JsonNode r = api.get("contacts(" + report + ")?$select=_parentcustomerid_value").json();
        assertTrue(r.path("_parentcustomerid_value").isNull(), "contact_customer_contacts removes the link: " + r);
        JsonNode c = api.get("accounts(" + company + ")?$select=_primarycontactid_value").json();
        assertTrue(c.path("_primarycontactid_value").isNull(), "account_primary_contact removes the link: " + c);
    }

    @Test
    void aHierarchyThatLoopsEnds() {
        String a = api.createAccount("A");
        String b = create("accounts", "accountid", "{\"name\":\"B\",\"parentaccountid@odata.bind\":\"/accounts(" + a + ")\"}");
        assertEquals(204, api.patch("accounts(" + a + ")", "{\"parentaccountid@odata.bind\":\"/accounts(" + b + ")\"}").status());
        String self = api.createAccount("Self");
        assertEquals(204, api.patch("accounts(" + self + ")", "{\"parentaccountid@odata.bind\":\"/accounts(" + self + ")\"}").status());

        assertEquals(204, api.delete("accounts(" + a + ")").status());
        assertTrue(api.get("accounts(" + b + ")?$select=_parentaccountid_value").json().path("_parentaccountid_value").isNull());
        assertEquals(204, api.delete("accounts(" + self + ")").status(), "a row that is its own parent deletes");
        assertEquals(404, status("accounts(" + self + ")"));
    }

    @Test
    void restrictRefusesWhileReferencingRowsExistAndChangesNothing() {
        String unit = create("businessunits", "businessunitid", "{\"name\":\"Doomed\",\"parentbusinessunitid@odata.bind\":\"/businessunits(" + ROOT_UNIT + ")\"}");
        String role = create("roles", "roleid", "{\"name\":\"Doomed role\",\"businessunitid@odata.bind\":\"/businessunits(" + unit + ")\"}");
        String user = create("systemusers", "systemuserid", "{\"lastname\":\"Member\",\"domainname\":\"member@emulator.local\","
                + "\"businessunitid@odata.bind\":\"/businessunits(" + unit + ")\"}");

        Response refused = api.delete("businessunits(" + unit + ")");
        assertEquals(405, refused.status(), refused.body());
        assertEquals("0x80040227", refused.errorCode());
        assertEquals("The object you tried to delete is associated with another object and cannot be deleted.", refused.errorMessage());
        assertEquals(200, status("businessunits(" + unit + ")"));
        assertEquals(200, status("systemusers(" + user + ")"));
        assertEquals(200, status("roles(" + role + ")"), "nothing of the refused delete stays done");

        // a child unit restricts too; once both are gone the unit deletes, its roles with it (business_unit_roles cascades)
        String child = create("businessunits", "businessunitid", "{\"name\":\"Child\",\"parentbusinessunitid@odata.bind\":\"/businessunits(" + unit + ")\"}");
        assertEquals(204, api.patch("systemusers(" + user + ")", "{\"businessunitid@odata.bind\":\"/businessunits(" + ROOT_UNIT + ")\"}").status());
        assertEquals("0x80040227", api.delete("businessunits(" + unit + ")").errorCode());
        assertEquals(204, api.delete("businessunits(" + child + ")").status());
        assertEquals(204, api.delete("businessunits(" + unit + ")").status());
        assertEquals(404, status("roles(" + role + ")"));
    }

    @Test
    void aCascadeReachesRowsTheCallerCouldNotDeleteOneByOne() {
        String user = create("systemusers", "systemuserid", "{\"firstname\":\"Del\",\"lastname\":\"Eter\",\"domainname\":\"deleter@emulator.local\","
                + "\"azureactivedirectoryobjectid\":\"00000000-0000-0000-0000-0000000ca5c0\",\"businessunitid@odata.bind\":\"/businessunits(" + ROOT_UNIT + ")\"}");
        String role = create("roles", "roleid", "{\"name\":\"Accounts only\",\"businessunitid@odata.bind\":\"/businessunits(" + ROOT_UNIT + ")\"}");
        for (String privilege : new String[] {"prvReadAccount", "prvDeleteAccount"}) {
            String id = api.get("privileges?$select=privilegeid&$filter=name%20eq%20'" + privilege + "'").json().path("value").get(0).path("privilegeid").asText();
            assertEquals(204, api.post("roleprivilegescollection", "{\"roleid@odata.bind\":\"/roles(" + role + ")\",\"privilegeid@odata.bind\":\"/privileges("
                    + id + ")\",\"privilegedepthmask\":8}").status());
        }
        assertEquals(204, api.post("systemuserrolescollection", "{\"systemuserid@odata.bind\":\"/systemusers(" + user + ")\",\"roleid@odata.bind\":\"/roles(" + role + ")\"}").status());
        String account = api.createAccount("Owned elsewhere");
        String task = task("Not yours", "account@odata.bind\":\"/accounts(" + account + ")");
        WebApi deleter = as("deleter@emulator.local");

        Response own = deleter.delete("tasks(" + task + ")");
        assertEquals(403, own.status(), "the user cannot delete the task by itself: " + own.body());
        assertEquals(204, deleter.delete("accounts(" + account + ")").status());
        assertEquals(404, status("tasks(" + task + ")"), "Dataverse's cascade overrides the missing task privilege");
    }

    @Test
    void aDeletedJobTakesItsProcessLogWithIt() {
        active(api, "Wait for hold", "wait-for-credit-hold.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = api.createAccount("Waiting");
        api.runUntilIdle();
        JsonNode job = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + account).json().path("value").get(0);
        String jobId = job.path("asyncoperationid").asText();
        String logs = "workflowlogs?$filter=_asyncoperationid_value%20eq%20" + jobId;
        assertEquals(1, api.get(logs).json().path("value").size(), "the waiting job wrote a log row");

        assertEquals(204, api.patch("asyncoperations(" + jobId + ")", "{\"statecode\":3,\"statuscode\":32}").status(), "cancel it");
        assertEquals(204, api.delete("asyncoperations(" + jobId + ")").status());
        assertEquals(0, api.get(logs).json().path("value").size(), "lk_workflowlog_asyncoperations cascades the delete");
    }

    @Test
    void aRecordsSystemJobsOutliveItAndAreSuspendedWhenTheyRun() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = api.createAccount("Short lived");
        String jobId = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + account).json().path("value").get(0).path("asyncoperationid").asText();

        assertEquals(204, api.delete("accounts(" + account + ")").status());
        JsonNode waiting = api.get("asyncoperations(" + jobId + ")?$select=statecode,_regardingobjectid_value").json();
        assertEquals(0, waiting.path("statecode").asInt(), "Account_AsyncOperations cascades nothing: the job waits on");
        assertEquals(account, waiting.path("_regardingobjectid_value").asText(), "still regarding the deleted account");

        assertEquals(1, api.runUntilIdle().path("suspended").asInt());
        JsonNode suspended = api.get("asyncoperations(" + jobId + ")").json();
        assertEquals(1, suspended.path("statecode").asInt());
        assertEquals(0x80045031, suspended.path("errorcode").asInt());
    }
}
