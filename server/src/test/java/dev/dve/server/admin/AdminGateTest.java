package dev.dve.server.admin;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Off loopback the admin API needs a System Administrator's token; health stays open for readiness probes. */
class AdminGateTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        EmulatorConfig c = super.config();
        return new EmulatorConfig("0.0.0.0", 0, c.url(), c.db(), c.dbUser(), c.dbPassword(), null, null, null, 1, null);
    }

    @Test
    void adminApiNeedsASystemAdministrator() {
        assertEquals(200, anonymous.get("/admin/health").status());
        Response none = anonymous.get("/admin/clock");
        assertEquals(401, none.status(), none.body());
        Response basic = as("basic@emulator.local").post("/admin/clock", "{\"freeze\":true}");
        assertEquals(403, basic.status(), basic.body());
        assertEquals(false, api.get("/admin/clock").json().path("frozen").asBoolean(), "refusals changed nothing");
        assertEquals(200, as("admin@emulator.local").post("/admin/clock", "{\"freeze\":true}").status());
        assertEquals(true, api.get("/admin/clock").json().path("frozen").asBoolean());
    }
}
