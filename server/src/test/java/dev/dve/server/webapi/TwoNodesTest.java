package dev.dve.server.webapi;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Two nodes on one database see the same rows, and the second does not load the fixtures again. */
class TwoNodesTest {

    @Test
    void nodesShareOneDatabase() throws Exception {
        TestDatabases.Target db = TestDatabases.fresh();
        EmulatorConfig config = EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password()).withUrl("http://org.dve.test");
        try (EmulatorServer a = new EmulatorServer(config.withNodeId("a")).start();
             EmulatorServer b = new EmulatorServer(config.withNodeId("b")).start()) {
            WebApi apiA = new WebApi(a.baseUrl());
            // a token from node a is good on node b: same signing key (in the database), same organization URL
            String token = apiA.clientCredentialsToken("00000000-0000-0000-0000-0000000000a1", "emulator-admin-secret");
            apiA = apiA.withToken(token);
            WebApi apiB = new WebApi(b.baseUrl()).withToken(token);
            assertNotEquals(a.port(), b.port());
            assertEquals("3", apiB.get("accounts/$count").body().trim(), "fixtures loaded once");
            String id = apiA.post("accounts", "{\"name\":\"Shared\"}", "Prefer", "return=representation").json().path("accountid").asText();
            assertEquals("Shared", apiB.get("accounts(" + id + ")?$select=name").json().path("name").asText());
            String etag = apiA.get("accounts(" + id + ")").json().path("@odata.etag").asText();
            assertEquals(204, apiB.patch("accounts(" + id + ")", "{\"name\":\"Changed on b\"}", "If-Match", etag).status());
            assertEquals(412, apiA.patch("accounts(" + id + ")", "{\"name\":\"Stale on a\"}", "If-Match", etag).status());
            assertEquals("Changed on b", apiA.get("accounts(" + id + ")?$select=name").json().path("name").asText());
            assertEquals("a", apiA.get("/admin/health").json().path("nodeId").asText());

            // the clock is shared: frozen and set through node a, node b stamps its writes with it
            apiA.post("/admin/clock", "{\"set\":\"2027-03-01T08:00:00Z\",\"freeze\":true}");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!apiB.get("/admin/clock").json().path("now").asText().equals("2027-03-01T08:00:00Z")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("node b never saw the clock set on node a");
                }
                Thread.sleep(25);
            }
            String created = apiB.post("accounts", "{\"name\":\"Stamped\"}", "Prefer", "return=representation").json().path("createdon").asText();
            assertEquals("2027-03-01T08:00:00Z", created);
        }
    }
}
