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
    protected static final String APP_CLIENT_ID = "00000000-0000-0000-0000-0000000000a1";
    protected static final String APP_SECRET = "emulator-admin-secret";
    protected EmulatorServer server;
    /** Signed in as the application user (System Administrator). */
    protected WebApi api;
    /** Not signed in. */
    protected WebApi anonymous;

    protected EmulatorConfig config() {
        TestDatabases.Target db = TestDatabases.fresh();
        return EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password());
    }

    @BeforeAll
    void startEmulator() throws Exception {
        server = new EmulatorServer(config()).start();
        anonymous = new WebApi(server.baseUrl());
        api = anonymous.withToken(anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET));
    }

    @BeforeEach
    void resetToFixtures() {
        WebApi.Response r = api.post("/admin/reset", "{}");
        if (r.status() != 200) {
            throw new IllegalStateException("reset failed: " + r);
        }
    }

    /** A client signed in as a user by the password grant. */
    protected WebApi as(String userName) {
        return anonymous.withToken(anonymous.passwordToken(userName, "Passw0rd!"));
    }

    @AfterAll
    void stopEmulator() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
