package dev.dve.server.clients;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.NodeClients;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The npm DynamicsWebApi client (clients/node/dynamics-web-api.mjs), unchanged, against the emulator: CRUD,
 * retrieveAll and FetchXML paging, count, $batch with a change set and a GET outside it, ExecuteWorkflow.
 */
class DynamicsWebApiTest extends EmulatorTest {

    @Test
    void theNpmClientRunsEveryCheck() throws Exception {
        NodeClients.Run run = NodeClients.run("dynamics-web-api.mjs", Map.of("DVE_URL", server.baseUrl(),
                "DVE_CLIENT_ID", APP_CLIENT_ID, "DVE_CLIENT_SECRET", APP_SECRET));
        assertEquals(0, run.exitCode(), run.toString());
        for (String check : List.of("create returns the new record's id", "retrieve reads the record with formatted values",
                "retrieveMultiple answers one page and a next link", "retrieveAll follows the next links over three pages",
                "count counts the matching records", "fetch answers a FetchXML page with a paging cookie",
                "fetchAll pages through every FetchXML page", "executeBatch runs a change set and a GET outside it",
                "executeBatch rolls a failing change set back", "update changes the record",
                "callAction ExecuteWorkflow queues a system job that creates the task", "deleteRecord deletes the record")) {
            assertTrue(run.stdout().lines().anyMatch(("ok - " + check)::equals), "check '" + check + "' passed:\n" + run);
        }
        assertTrue(run.stdout().contains("15 checks passed"), run.toString());
        assertTrue(api.get("accounts?$count=true&$filter=startswith(name,'dwa%20')").json().path("@odata.count").asInt() >= 9,
                "the script's records are in the emulator the test started");
    }
}
