package dev.dve.server.ops;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Off loopback {@code /metrics} is refused like the admin API: no token 401, a user who is not a System Administrator 403. */
class MetricsGateTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        EmulatorConfig c = super.config();
        return new EmulatorConfig("0.0.0.0", 0, c.url(), c.db(), c.dbUser(), c.dbPassword(), null, null, null, 0, null);
    }

    @Test
    void metricsNeedASystemAdministratorOffLoopback() {
        Response none = anonymous.get("/metrics");
        assertEquals(401, none.status(), none.body());
        assertEquals("0x80040204", none.errorCode(), none.body());
        assertEquals(none.status(), anonymous.get("/admin/clock").status(), "refused like /admin");
        Response basic = as("basic@emulator.local").get("/metrics");
        assertEquals(403, basic.status(), basic.body());
        Response admin = api.get("/metrics");
        assertEquals(200, admin.status(), admin.body());
        assertTrue(admin.header("Content-Type").startsWith("text/plain; version=0.0.4"), admin.header("Content-Type"));
        assertTrue(admin.body().contains("# TYPE dve_jobs gauge"), admin.body());
        assertEquals(200, anonymous.get("/admin/health").status(), "health stays open for probes");
    }
}
