package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.engine.async.RetryPolicy;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The back-off's base and factor are configuration (--retry-base, --retry-factor). */
class RetryConfigTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        return super.config().withRetry(new RetryPolicy(Duration.ofSeconds(10), 2.0, 5));
    }

    @Test
    void aConfiguredBackOffWaitsTenThenTwentySeconds() {
        api.post("/admin/clock", "{\"freeze\":true,\"set\":\"2026-03-02T09:00:00Z\"}");
        String workflow = active(api, "Describe", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        api.post("/admin/faults", "{\"fault\":\"serverBusy\",\"count\":2,\"workflowId\":\"" + workflow + "\"}");
        String account = api.post("accounts", "{\"name\":\"Configured\"}", "Prefer", "return=representation").json().path("accountid").asText();
        String jobs = "asyncoperations?$filter=_regardingobjectid_value%20eq%20" + account;
        assertEquals(1, api.post("/admin/async/run-until-idle", "{}").json().path("retrying").asInt());
        JsonNode job = api.get(jobs).json().path("value").get(0);
        assertEquals("2026-03-02T09:00:10Z", job.path("postponeuntil").asText());
        api.post("/admin/clock", "{\"advance\":\"PT10S\"}");
        assertEquals(1, api.post("/admin/async/run-until-idle", "{}").json().path("retrying").asInt());
        job = api.get(jobs).json().path("value").get(0);
        assertEquals("2026-03-02T09:00:30Z", job.path("postponeuntil").asText(), "10 s × 2");
        api.post("/admin/clock", "{\"advance\":\"PT20S\"}");
        assertEquals(1, api.post("/admin/async/run-until-idle", "{}").json().path("succeeded").asInt());
    }
}
