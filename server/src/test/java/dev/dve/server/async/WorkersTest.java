package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node with workers runs jobs by itself; moving the clock past a parked job's time wakes them. */
class WorkersTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        return super.config().withWorkers(2);
    }

    private JsonNode awaitJob(String account, int state, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode jobs = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + account).json().path("value");
            if (jobs.size() == 1 && jobs.get(0).path("statecode").asInt() == state && jobs.get(0).path("statuscode").asInt() == status) {
                return jobs.get(0);
            }
            assertTrue(System.nanoTime() < deadline, "the job never reached " + state + "/" + status + ": " + jobs);
            Thread.sleep(20);
        }
    }

    @Test
    void workersRunDueJobsAndWakeWhenTheClockMoves() throws Exception {
        assertEquals(200, api.post("/admin/clock", "{\"freeze\":true,\"set\":\"2026-03-02T09:00:00Z\"}").status());
        String workflow = active(api, "Describe", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String first = api.post("accounts", "{\"name\":\"By itself\"}", "Prefer", "return=representation").json().path("accountid").asText();
        awaitJob(first, 3, 30);
        assertTrue(api.get("accounts(" + first + ")?$select=description").json().path("description").asText().contains("By itself"));

        assertEquals(200, api.post("/admin/faults", "{\"fault\":\"serverBusy\",\"workflowId\":\"" + workflow + "\"}").status());
        String second = api.post("accounts", "{\"name\":\"Later\"}", "Prefer", "return=representation").json().path("accountid").asText();
        JsonNode parked = awaitJob(second, 1, 10);
        assertEquals("2026-03-02T09:00:36Z", parked.path("postponeuntil").asText());
        assertEquals(200, api.post("/admin/clock", "{\"advance\":\"PT36S\"}").status());
        awaitJob(second, 3, 30);
    }
}
