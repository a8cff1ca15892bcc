package dev.dve.server.testing;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the HTTP tests: one emulator per test class, on a random port, on the database the suite runs
 * against, reset to the fixtures before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmulatorTest {
    protected EmulatorServer server;
    protected WebApi api;

    protected EmulatorConfig config() {
        TestDatabases.Target db = TestDatabases.fresh();
        return EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password());
    }

    @BeforeAll
    void startEmulator() throws Exception {
        server = new EmulatorServer(config()).start();
        api = new WebApi(server.baseUrl());
    }

    @BeforeEach
    void resetToFixtures() {
        WebApi.Response r = api.post("/admin/reset", "{}");
        if (r.status() != 200) {
            throw new IllegalStateException("reset failed: " + r);
        }
    }

    @AfterAll
    void stopEmulator() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
