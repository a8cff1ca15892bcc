package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Background workers on several nodes sharing one database: every job runs exactly once, and when a node dies (a real
 * {@code kill -9}) the jobs it held are taken over once its leases run out, without repeating a completed step.
 */
class NodesTest {
    private static final String APP = "00000000-0000-0000-0000-0000000000a1";
    private static final String SECRET = "emulator-admin-secret";

    private static WebApi admin(EmulatorServer s) {
        WebApi anonymous = new WebApi(s.baseUrl());
        return anonymous.withToken(anonymous.clientCredentialsToken(APP, SECRET));
    }

    /** Creates accounts from several client threads; each queues one job of the create-task workflow. */
    private static void createAccounts(WebApi api, int n) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int from = t;
            done.add(clients.submit(() -> {
                for (int i = from; i < n; i += 4) {
                    WebApi.Response r = api.post("accounts", "{\"name\":\"Job " + i + "\"}");
                    if (r.status() != 204) {
                        throw new AssertionError(r.toString());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
    }

    private static int count(WebApi api, String query) {
        return api.get(query + (query.contains("?") ? "&" : "?") + "$count=true&$top=1").json().path("@odata.count").asInt();
    }

    /** Waits (on the condition, polling) until no job is open, and answers the jobs by final status. */
    private static void awaitAllCompleted(WebApi api, int jobs, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count(api, "asyncoperations?$filter=statecode%20eq%203") < jobs) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jobs still open after " + limit + ": " + api.get("asyncoperations?$apply=groupby((statecode,statuscode),aggregate($count%20as%20n))").body());
            }
            Thread.sleep(100);
        }
    }

    /** Each account has exactly one task: no job ran twice and no step of one repeated. */
    private static void assertOneTaskPerAccount(WebApi api, int accounts) {
        Set<String> regarding = new HashSet<>();
        int tasks = 0;
        String next = "tasks?$select=_regardingobjectid_value&$filter=startswith(subject,'Follow')";
        while (next != null) {
            JsonNode page = api.get(next, "Prefer", "odata.maxpagesize=5000").json();
            for (JsonNode t : page.path("value")) {
                tasks++;
                regarding.add(t.path("_regardingobjectid_value").asText());
            }
            String link = page.path("@odata.nextLink").asText(null);
            next = link == null ? null : link.substring(link.indexOf("tasks"));
        }
        assertEquals(accounts, regarding.size(), "every account got its task");
        assertEquals(accounts, tasks, "no account got two");
    }

    @Test
    void twoNodesRunThousandsOfJobsExactlyOnce() throws Exception {
        TestDatabases.Target db = TestDatabases.fresh();
        EmulatorConfig config = EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password()).withUrl("http://org.dve.test");
        // thousands on the shared store; a few hundred on embedded H2, where both nodes share one JVM's database
        int n = TestDatabases.mariaDb() ? 2000 : 300;
        try (EmulatorServer a = new EmulatorServer(config.withNodeId("node-a").withWorkers(2)).start();
             EmulatorServer b = new EmulatorServer(config.withNodeId("node-b").withWorkers(2)).start()) {
            WebApi api = admin(a);
            active(api, "Follow up", "create-task.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
            long start = System.nanoTime();
            createAccounts(api, n);
            awaitAllCompleted(api, n, Duration.ofMinutes(4));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(n, count(api, "asyncoperations?$filter=statuscode%20eq%2030"), "all succeeded");
            int onA = count(api, "asyncoperations?$filter=hostid%20eq%20'node-a'");
            int onB = count(api, "asyncoperations?$filter=hostid%20eq%20'node-b'");
            assertEquals(n, onA + onB);
            assertTrue(onA > 0 && onB > 0, "both nodes worked: " + onA + " / " + onB);
            assertOneTaskPerAccount(api, n);
            System.out.printf("R1 two nodes: %d jobs in %.1f s (node-a %d, node-b %d), each exactly once%n", n, seconds, onA, onB);
        }
    }

    @Test
    void aKilledNodesJobsAreTakenOverWithoutRepeatingASteps() throws Exception {
        assumeTrue(TestDatabases.mariaDb(), "a second process needs a database both can reach: MariaDB");
        TestDatabases.Target db = TestDatabases.fresh();
        EmulatorConfig config = EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password()).withUrl("http://org.dve.test")
                .withJobLease(Duration.ofSeconds(2));
        int n = 1500;
        try (EmulatorServer a = new EmulatorServer(config.withNodeId("node-a").withWorkers(0)).start()) {
            WebApi api = admin(a);
            active(api, "Follow up", "create-task.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
            createAccounts(api, n);
            // node b, a separate JVM, runs the backlog alone until it is killed
            Path log = Files.createTempFile("dve-node-b", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.dve.server.EmulatorMain",
                    "--host", "127.0.0.1", "--port", "0", "--db", db.url(), "--db-user", db.user(), "--db-password", db.password(),
                    "--node-id", "node-b", "--workers", "4", "--job-lease", "PT2S", "--url", "http://org.dve.test")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (count(api, "asyncoperations?$filter=statecode%20eq%203") < n / 5) {
                    assertTrue(b.isAlive(), "node b exited: " + Files.readString(log));
                    assertTrue(System.nanoTime() < deadline, "node b never got going: " + Files.readString(log));
                    Thread.sleep(50);
                }
            } finally {
                b.destroyForcibly();
                b.waitFor(30, TimeUnit.SECONDS);
            }
            int doneByB = count(api, "asyncoperations?$filter=statecode%20eq%203");
            int heldByB = count(api, "asyncoperations?$filter=statecode%20eq%202");
            // node a now works the rest, taking over what node b held once its leases ran out
            // restarted under the same node id: it must not renew the dead incarnation's leases, but take its jobs over
            try (EmulatorServer c = new EmulatorServer(config.withNodeId("node-b").withWorkers(4)).start()) {
                awaitAllCompleted(api, n, Duration.ofMinutes(4));
            }
            assertEquals(n, count(api, "asyncoperations?$filter=statuscode%20eq%2030"), "every job succeeded once");
            assertOneTaskPerAccount(api, n);
            System.out.printf("R1 kill -9: node b completed %d of %d jobs and held %d when killed; node-b restarted under the same id took over and finished; one task per account%n",
                    doneByB, n, heldByB);
            new File(log.toString()).delete();
        }
    }
}
