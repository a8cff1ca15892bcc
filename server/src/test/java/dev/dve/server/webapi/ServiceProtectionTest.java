package dev.dve.server.webapi;

import com.sun.net.httpserver.HttpServer;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import dev.dve.server.throttling.ServiceProtectionLimits;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service protection limits per user ({@code --limit-requests}, {@code --limit-concurrent}, {@code --limit-execution-time})
 * answer 429 with {@code Retry-After} and Dataverse's codes; they are off by default; {@code POST /admin/faults} injects 429s.
 * This class's emulator allows 5 requests per user in the 5-minute window; the other scenarios start an emulator of their own.
 */
class ServiceProtectionTest extends EmulatorTest {
    private static final String APP_USER = "00000000-0000-0000-0000-000000000101";

    @Override
    protected EmulatorConfig config() {
        return super.config().withServiceProtection(new ServiceProtectionLimits(5, 0, null));
    }

    private static EmulatorServer start(EmulatorConfig c) throws Exception {
        TestDatabases.Target db = TestDatabases.fresh();
        return new EmulatorServer(c.withDatabase(db.url(), db.user(), db.password())).start();
    }

    private static WebApi signedIn(EmulatorServer s) {
        WebApi anonymous = new WebApi(s.baseUrl());
        return anonymous.withToken(anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET));
    }

    @Test
    void theSixthRequestInTheWindowIsRefusedUntilTheWindowMoves() {
        api.clock("2030-01-01T08:00:00Z", null);
        for (int i = 1; i <= 5; i++) {
            Response r = api.get("accounts?$select=name&$top=1");
            assertEquals(200, r.status(), "request " + i + ": " + r.body());
            assertEquals(String.valueOf(5 - i), r.header("x-ms-ratelimit-burst-remaining-xrm-requests"));
        }
        Response refused = api.get("accounts?$select=name&$top=1");
        assertEquals(429, refused.status(), refused.body());
        assertEquals("0x80072322", refused.errorCode());
        assertEquals("Number of requests exceeded the limit of 5 over time window of 300 seconds.", refused.errorMessage());
        assertEquals("300", refused.header("Retry-After"), "the oldest request leaves the window in 300 s of emulator time");
        assertEquals(429, api.post("accounts", "{\"name\":\"Refused\"}").status(), "writes are refused too");

        api.clock(null, "PT4M");
        Response still = api.get("accounts?$select=name&$top=1");
        assertEquals(429, still.status());
        assertEquals("60", still.header("Retry-After"));
        api.clock(null, "PT1M");
        Response again = api.get("accounts?$select=name&$filter=name%20eq%20'Refused'");
        assertEquals(200, again.status(), "five minutes on, the window is empty again");
        assertEquals(0, again.json().path("value").size(), "the refused write wrote nothing");
    }

    @Test
    void limitsArePerUserAndOnlyOnTheWebApi() {
        api.clock("2030-01-01T08:00:00Z", null);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, api.get("WhoAmI").status());
        }
        assertEquals(429, api.get("WhoAmI").status());
        WebApi maker = as("maker@emulator.local");
        Response other = maker.get("WhoAmI");
        assertEquals(200, other.status(), "another user has a window of their own: " + other.body());
        assertEquals(200, api.get("/admin/clock").status(), "the admin API is not the Web API");
        assertEquals(401, anonymous.get("WhoAmI").status(), "unauthenticated requests are refused before any limit");
        // impersonation counts against the signed-in user, who is out of requests
        Response impersonating = api.get("WhoAmI", "MSCRMCallerID", "00000000-0000-0000-0000-000000000102");
        assertEquals(429, impersonating.status(), impersonating.body());
    }

    @Test
    void aBatchIsOneRequest() {
        api.clock("2030-01-01T08:00:00Z", null);
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            batch.append("--batch_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                    .append("GET ").append(api.api()).append("accounts?$select=name&$top=1 HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n");
        }
        batch.append("--batch_x--\r\n");
        Response r = api.send("POST", "$batch", batch.toString(), "Content-Type", "multipart/mixed; boundary=batch_x");
        assertEquals(200, r.status(), r.body());
        assertEquals(8, r.body().split("HTTP/1.1 200").length - 1, "eight operations ran");
        assertEquals("4", r.header("x-ms-ratelimit-burst-remaining-xrm-requests"), "and counted once");
    }

    @Test
    void limitsAreOffByDefault() throws Exception {
        try (EmulatorServer s = start(EmulatorConfig.embedded())) {
            WebApi client = signedIn(s);
            List<CompletableFuture<Integer>> parallel = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                parallel.add(CompletableFuture.supplyAsync(() -> client.get("accounts?$select=name").status()));
            }
            for (int i = 0; i < 120; i++) {
                Response r = client.get("accounts?$select=name&$top=1");
                assertEquals(200, r.status(), r.body());
                assertNull(r.header("x-ms-ratelimit-burst-remaining-xrm-requests"));
            }
            for (CompletableFuture<Integer> f : parallel) {
                assertEquals(200, f.get(60, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void injectedServiceProtectionFaults() {
        Response bad = api.post("/admin/faults", "{\"fault\":\"serviceProtection\",\"errorCode\":\"0x80040217\"}");
        assertEquals(400, bad.status(), "only the three service protection codes");
        Response injected = api.post("/admin/faults", "{\"fault\":\"serviceProtection\",\"count\":2,\"errorCode\":\"0x80072321\",\"retryAfter\":\"PT30S\"}");
        assertEquals(200, injected.status(), injected.body());
        for (int i = 0; i < 2; i++) {
            Response r = api.get("WhoAmI");
            assertEquals(429, r.status(), r.body());
            assertEquals("0x80072321", r.errorCode());
            assertTrue(r.errorMessage().startsWith("Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds."),
                    r.errorMessage());
            assertEquals("30", r.header("Retry-After"));
        }
        assertEquals(200, api.get("WhoAmI").status(), "two answers were asked for");

        WebApi maker = as("maker@emulator.local");
        String makerId = maker.get("WhoAmI").json().path("UserId").asText();
        assertEquals(200, api.post("/admin/faults", "{\"fault\":\"serviceProtection\",\"systemuserid\":\"" + makerId + "\",\"errorCode\":\"0x80072326\"}").status());
        assertEquals(200, api.get("WhoAmI").status(), "a fault for one user leaves the others alone");
        Response makers = maker.get("WhoAmI");
        assertEquals(429, makers.status());
        assertEquals("0x80072326", makers.errorCode());
        assertEquals("1", makers.header("Retry-After"));
        assertEquals(200, maker.get("WhoAmI").status());
    }

    @Test
    void concurrentRequestsOverTheLimitAreRefusedAtOnce() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the call-out of a real-time workflow's custom activity: it answers once the test lets it
        HttpServer erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/notify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{\"ErpNumber\":\"ERP-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
        erp.setExecutor(handlers);
        erp.start();
        try (EmulatorServer s = start(EmulatorConfig.embedded().withServiceProtection(new ServiceProtectionLimits(0, 1, null)))) {
            WebApi client = signedIn(s);
            assertEquals(200, client.post("/admin/custom-activities", "{\"type\":\"Contoso.Workflows.NotifyErp\",\"url\":\"http://127.0.0.1:"
                    + erp.getAddress().getPort() + "/notify\"}").status());
            active(client, "Notify ERP", "custom-activity.xaml", "{\"triggeroncreate\":true,\"createstage\":40}");
            CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> client.post("accounts", "{\"name\":\"Slow\"}"));
            assertTrue(arrived.await(30, TimeUnit.SECONDS), "the create is waiting on its call-out");
            Response second = client.get("WhoAmI");
            assertEquals(429, second.status(), second.body());
            assertEquals("0x80072326", second.errorCode());
            assertEquals("Number of concurrent requests exceeded the limit of 1.", second.errorMessage());
            assertEquals("1", second.header("Retry-After"));
            assertEquals(200, as(s, "maker@emulator.local").get("WhoAmI").status(), "another user's request runs beside it");
            release.countDown();
            assertEquals(204, slow.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, client.get("WhoAmI").status(), "once the first request ended, the next one runs");
        } finally {
            release.countDown();
            erp.stop(0);
            handlers.shutdownNow();
        }
    }

    private static WebApi as(EmulatorServer s, String user) {
        WebApi anonymous = new WebApi(s.baseUrl());
        return anonymous.withToken(anonymous.passwordToken(user, "Passw0rd!"));
    }

    @Test
    void combinedExecutionTimeOverTheLimit() throws Exception {
        // one microsecond of execution time per window: the first request uses it up, whatever the machine
        try (EmulatorServer s = start(EmulatorConfig.embedded().withServiceProtection(new ServiceProtectionLimits(0, 0, Duration.ofNanos(1000))))) {
            WebApi client = signedIn(s);
            client.clock("2030-01-01T08:00:00Z", null);
            assertEquals(200, client.get("WhoAmI").status());
            Response refused = client.get("WhoAmI");
            assertEquals(429, refused.status(), refused.body());
            assertEquals("0x80072321", refused.errorCode());
            assertEquals("Combined execution time of incoming requests exceeded limit of 0 milliseconds over time window of 300 seconds. "
                    + "Decrease number of concurrent requests or reduce the duration of requests and try again later.", refused.errorMessage());
            assertEquals("300", refused.header("Retry-After"));
            client.clock(null, "PT5M");
            assertEquals(200, client.get("WhoAmI").status(), "the execution left the window");
        }
    }
}
