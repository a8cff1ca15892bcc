package dev.dve.junit.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.junit.DataverseEmulatorRuntime;
import dev.dve.junit.DataverseEmulatorTest;
import dev.dve.junit.FixturePrincipals;
import dev.dve.junit.IdleReport;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// A connector test as a user writes it (README, "Use it from your tests"). Keep the two in step.
@DataverseEmulatorTest(clockFrozenAt = "2026-03-02T09:00:00Z")
class ConnectorExampleTest {

    @Test
    void createsAnAccount(DataverseEmulatorRuntime dve) throws Exception {
        AccountConnector connector = new AccountConnector(dve.webApiUrl(), dve::applicationUserToken);

        UUID id = connector.createAccount("Northwind Traders", "Seattle");

        JsonNode account = connector.account(id);
        assertEquals("Northwind Traders", account.path("name").asText());
        assertEquals("Seattle", account.path("address1_city").asText());
        assertEquals("2026-03-02T09:00:00Z", account.path("createdon").asText()); // the emulator's frozen clock
    }

    @Test
    void actsAsTheSignedInUser(DataverseEmulatorRuntime dve) throws Exception {
        AccountConnector connector = new AccountConnector(dve.webApiUrl(), () -> dve.token(FixturePrincipals.BASIC));

        UUID id = connector.createAccount("Fabrikam", "Oslo");

        assertEquals("00000000-0000-0000-0000-000000000105", connector.account(id).path("_createdby_value").asText());
    }

    @Test
    void aBackgroundWorkflowDescribesTheNewAccount(DataverseEmulatorRuntime dve) throws Exception {
        AccountConnector connector = new AccountConnector(dve.webApiUrl(), dve::applicationUserToken);
        // the organization has a background workflow on account create (one of the samples shipped in dve-fixtures)
        ObjectNode workflow = new ObjectMapper().createObjectNode().put("name", "Describe new accounts").put("category", 0)
                .put("type", 1).put("scope", 4).put("primaryentity", "account").put("mode", 0).put("triggeroncreate", true)
                .put("xaml", sample("samples/workflows/set-description.xaml"));
        UUID workflowId = connector.create("workflows", workflow);
        connector.update("workflows", workflowId, new ObjectMapper().createObjectNode().put("statecode", 1).put("statuscode", 2));

        UUID id = connector.createAccount("Contoso", "Redmond");
        assertTrue(connector.account(id).path("description").isNull(), "queued as a system job, not run yet");

        IdleReport run = dve.admin().runUntilIdle(); // runs every due system job, here and now
        assertEquals(1, run.succeeded());

        assertEquals("Created by workflow, for Contoso", connector.account(id).path("description").asText());
        JsonNode job = connector.query("asyncoperations", "_regardingobjectid_value eq " + id).get(0);
        assertEquals(30, job.path("statuscode").asInt()); // Succeeded
        assertEquals("2026-03-02T09:00:00Z", job.path("completedon").asText());
    }

    private static String sample(String resource) throws Exception {
        try (InputStream in = ConnectorExampleTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
