package dev.dve.server.console;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Off loopback the console's API needs a System Administrator's token, like the admin API; the static page holds no data. */
class ConsoleGateTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        EmulatorConfig c = super.config();
        return new EmulatorConfig("0.0.0.0", 0, c.url(), c.db(), c.dbUser(), c.dbPassword(), null, null, null, 1, null);
    }

    @Test
    void theConsoleApiNeedsASystemAdministrator() {
        String id = active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        Response none = anonymous.get("/console/api/workflows");
        assertEquals(401, none.status(), none.body());
        Response stopAnonymously = anonymous.post("/console/api/workflows/" + id + "/stop", "");
        assertEquals(401, stopAnonymously.status(), stopAnonymously.body());
        Response basic = as("basic@emulator.local").post("/console/api/workflows/" + id + "/stop", "");
        assertEquals(403, basic.status(), basic.body());
        assertEquals(1, api.get("workflows(" + id + ")?$select=statecode").json().path("statecode").asInt(), "refusals changed nothing");

        Response admin = as("admin@emulator.local").post("/console/api/workflows/" + id + "/stop", "");
        assertEquals(200, admin.status(), admin.body());
        assertEquals("STOPPED", admin.json().path("status").asText());
        assertEquals(0, api.get("workflows(" + id + ")?$select=statecode").json().path("statecode").asInt());
        assertEquals(200, anonymous.get("/console/").status(), "the page itself is static; it asks for a token when the API refuses");
    }
}
