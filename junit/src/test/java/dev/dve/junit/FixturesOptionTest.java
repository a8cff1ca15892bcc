package dev.dve.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.junit.WebApiClient.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code fixtures = "classpath:…"}: the emulator loads that folder instead of the built-in fixtures, and resets to it. */
@DataverseEmulatorTest(fixtures = "classpath:fixtures-minimal")
class FixturesOptionTest {
    @Test
    void theFolderIsTheOrganizationsData(DataverseEmulatorRuntime dve, Admin admin) {
        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        JsonNode accounts = api.get("accounts?$select=name").json().path("value");
        assertEquals(1, accounts.size(), accounts.toString());
        assertEquals("Only one", accounts.get(0).path("name").asText());

        api.createAccount("Second");
        admin.reset();
        assertEquals(1, api.get("accounts?$count=true").json().path("@odata.count").asInt(), "back to the folder's one account");
    }

    @Test
    void itsCustomActivitiesAreRegistered(DataverseEmulatorRuntime dve) {
        WebApiClient api = new WebApiClient(dve, dve.applicationUserToken());
        String workflow = api.createWorkflow("Notify ERP", "custom-activity.xaml", 0, true).json().path("workflowid").asText();
        Response activated = api.activate(workflow);
        assertEquals(204, activated.status(), "custom-activities.json of the folder maps the activity: " + activated);
    }
}
