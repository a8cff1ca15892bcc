package dev.dve.server.ops;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.NodeClients;
import dev.dve.server.testing.PythonClients;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} scraped as Prometheus would and read with the Prometheus project's own text-format parser
 * ({@code prometheus_client.parser}, run by {@code clients/python/scrape_metrics.py}): requests counted by route
 * template and status in a histogram, system jobs by state equal to the rows, the workflow backlog, claim latency.
 */
class MetricsTest extends EmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String ENTITY_SET = "/api/data/{version}/{entityset}";
    private static final String ONE_RECORD = "/api/data/{version}/{entityset}({id})";
    private LogCapture requestLog;

    @BeforeAll
    void captureRequestLog() {
        requestLog = new LogCapture(RequestTelemetry.REQUEST_LOG, Level.INFO);
    }

    @AfterAll
    void releaseRequestLog() {
        requestLog.close();
    }

    /** One scrape as the Prometheus parser read it: families by name, and every sample. */
    private record Scrape(Map<String, JsonNode> families, List<JsonNode> samples) {
        JsonNode family(String name) {
            JsonNode f = families.get(name);
            assertNotNull(f, "no metric family " + name + " in " + families.keySet());
            return f;
        }

        /** The samples of this sample name whose labels include all the given pairs. */
        List<JsonNode> samples(String sampleName, String... labels) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode m : samples) {
                boolean all = sampleName.equals(m.path("name").asText());
                for (int i = 0; i + 1 < labels.length; i += 2) {
                    all &= labels[i + 1].equals(m.path("labels").path(labels[i]).asText(null));
                }
                if (all) {
                    out.add(m);
                }
            }
            return out;
        }

        /** The value of the one sample of this name and labels (0 when there is none). */
        double value(String sampleName, String... labels) {
            List<JsonNode> s = samples(sampleName, labels);
            assertTrue(s.size() <= 1, sampleName + " has several samples for " + List.of(labels) + ": " + s);
            return s.isEmpty() ? 0 : s.get(0).path("value").asDouble();
        }

        /** A histogram's observation count for these labels. */
        double count(String histogram, String... labels) {
            return value(histogram + "_count", labels);
        }

        /** A histogram's buckets for these labels, upper bound → cumulative count, in bound order. */
        java.util.SortedMap<Double, Double> buckets(String histogram, String... labels) {
            java.util.SortedMap<Double, Double> out = new java.util.TreeMap<>();
            for (JsonNode b : samples(histogram + "_bucket", labels)) {
                String le = b.path("labels").path("le").asText();
                out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), b.path("value").asDouble());
            }
            return out;
        }
    }

    /** Waits until the server has finished answering the last request, so its metrics are recorded; then scrapes. */
    private Scrape scrapeAfter(Response last) throws Exception {
        requestLog.requestLine(last.header("REQ_ID"));
        NodeClients.Run run = PythonClients.run("scrape_metrics.py", Map.of("DVE_METRICS_URL", server.baseUrl() + "/metrics",
                "DVE_TOKEN", api.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET)));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode out = JSON.readTree(run.stdout());
        assertTrue(out.path("contentType").asText().startsWith("text/plain; version=0.0.4"), out.path("contentType").asText());
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        List<JsonNode> samples = new ArrayList<>();
        for (JsonNode f : out.path("families")) {
            byName.put(f.path("name").asText(), f);
            f.path("samples").forEach(samples::add);
        }
        return new Scrape(byName, samples);
    }

    @Test
    void requestsAreCountedByRouteTemplateAndStatusInAHistogram() throws Exception {
        Scrape before = scrapeAfter(api.get("accounts?$top=1"));
        assertEquals(200, api.get("accounts?$select=name").status());
        String id = api.createAccount("Metrics Ltd");
        assertEquals(200, api.get("accounts(" + id + ")").status());
        for (int i = 0; i < 3; i++) {
            assertEquals(404, api.get("accounts(" + UUID.randomUUID() + ")").status());
        }
        Response last = anonymous.get("accounts");
        assertEquals(401, last.status());
        Scrape after = scrapeAfter(last);

        String h = "http_server_requests_seconds";
        assertEquals("histogram", after.family(h).path("type").asText());
        assertEquals(1, delta(before, after, h, "method", "GET", "route", ENTITY_SET, "status", "200"));
        assertEquals(1, delta(before, after, h, "method", "POST", "route", ENTITY_SET, "status", "201"));
        assertEquals(1, delta(before, after, h, "method", "GET", "route", ONE_RECORD, "status", "200"));
        assertEquals(3, delta(before, after, h, "method", "GET", "route", ONE_RECORD, "status", "404"));
        assertEquals(1, delta(before, after, h, "method", "GET", "route", ENTITY_SET, "status", "401"));
        assertTrue(after.count(h, "route", "/{tenant}/oauth2/v2.0/token", "status", "200") >= 1, "token requests are counted too");

        java.util.SortedMap<Double, Double> buckets = after.buckets(h, "method", "GET", "route", ONE_RECORD, "status", "404");
        assertTrue(buckets.containsKey(Double.POSITIVE_INFINITY) && buckets.containsKey(0.005) && buckets.size() >= 10, "histogram buckets: " + buckets);
        assertEquals(after.count(h, "method", "GET", "route", ONE_RECORD, "status", "404"), buckets.get(Double.POSITIVE_INFINITY),
                "the +Inf bucket holds every request");
        double previous = 0;
        for (double v : buckets.values()) {
            assertTrue(v >= previous, "buckets are cumulative: " + buckets);
            previous = v;
        }
        List<JsonNode> series = after.samples(h + "_count");
        assertTrue(series.size() >= 6, series.toString());
        for (JsonNode m : series) {
            String route = m.path("labels").path("route").asText();
            assertFalse(GUID.matcher(route).find() || route.contains("accounts"), "a raw path became a label: " + route);
        }
        assertEquals("gauge", after.family("jvm_memory_used_bytes").path("type").asText(), "JVM metrics come along");
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.count(name, labels) - before.count(name, labels);
    }

    @Test
    void jobGaugesEqualTheRowsAndTheBacklogAndClaimLatencyFollowTheJobs() throws Exception {
        api.clock("2026-03-02T09:00:00Z", null);
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        active(api, "Wait for hold", "wait-for-credit-hold.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        api.createAccount("Queued One");
        api.createAccount("Queued Two");
        Scrape queued = scrapeAfter(api.get("asyncoperations?$select=name"));
        assertJobGaugesEqualRows(queued);
        assertEquals(4, queued.value("dve_jobs", "statecode", "0", "statuscode", "0"), "four jobs are Ready");
        String describe = activation("Describe later");
        String waitFor = activation("Wait for hold");
        assertEquals(2, queued.value("dve_workflow_backlog", "workflowactivationid", describe, "state", "ready", "workflow", "Describe later"));
        assertEquals(2, queued.value("dve_workflow_backlog", "workflowactivationid", waitFor, "state", "ready"));

        api.clock(null, "PT7S");
        Response run = api.post("/admin/async/run-until-idle", "{}");
        JsonNode report = run.json();
        // four jobs; a wait job may be claimed twice when the Describe job's update to its account wakes it first
        int claims = report.path("jobs").asInt();
        assertTrue(claims >= 4, run.body());
        Scrape ran = scrapeAfter(run);
        assertJobGaugesEqualRows(ran);
        assertEquals(2, ran.value("dve_jobs", "statecode", "3", "statuscode", "30", "status", "Succeeded"));
        assertEquals(2, ran.value("dve_jobs", "statecode", "1", "statuscode", "10", "status", "Waiting"));
        assertEquals(0, ran.samples("dve_workflow_backlog", "workflowactivationid", describe).size(), "nothing of Describe later waits");
        assertEquals(2, ran.value("dve_workflow_backlog", "workflowactivationid", waitFor, "state", "waiting"));

        String claim = "dve_jobs_claim_latency_seconds";
        assertEquals("histogram", ran.family(claim).path("type").asText());
        assertEquals(claims, ran.count(claim, "operationtype", "10") - queued.count(claim, "operationtype", "10"), "one observation per claim");
        // the clock moved 7 s between queueing and claiming: each claim was 7 s late
        double perClaim = (ran.value(claim + "_sum", "operationtype", "10") - queued.value(claim + "_sum", "operationtype", "10")) / claims;
        assertEquals(7.0, perClaim, 0.001);
        assertEquals(claims, ran.buckets(claim, "operationtype", "10").get(30.0) - queued.buckets(claim, "operationtype", "10").getOrDefault(30.0, 0.0),
                "7 s falls in the 30 s bucket");
        assertEquals(0, ran.buckets(claim, "operationtype", "10").get(5.0) - queued.buckets(claim, "operationtype", "10").getOrDefault(5.0, 0.0),
                "and not in the 5 s bucket");
        for (String outcome : List.of("succeeded", "waiting")) {
            assertEquals(report.path(outcome).asDouble(), ran.value("dve_jobs_runs_total", "operationtype", "10", "outcome", outcome)
                    - queued.value("dve_jobs_runs_total", "operationtype", "10", "outcome", outcome), "runs that ended " + outcome);
        }
        assertEquals(2, report.path("succeeded").asInt(), run.body());
    }

    private String activation(String name) {
        JsonNode jobs = api.get("asyncoperations?$select=_workflowactivationid_value&$filter=name%20eq%20'" + name.replace(" ", "%20") + "'")
                .json().path("value");
        assertTrue(jobs.size() > 0, "no job of " + name);
        return jobs.get(0).path("_workflowactivationid_value").asText();
    }

    /** Every dve_jobs sample equals the count of asyncoperation rows with its statecode and statuscode, read through the Web API. */
    private void assertJobGaugesEqualRows(Scrape s) {
        JsonNode family = s.family("dve_jobs");
        assertEquals("gauge", family.path("type").asText());
        assertTrue(family.path("samples").size() >= 8, "every known state is reported: " + family);
        for (JsonNode m : family.path("samples")) {
            String state = m.path("labels").path("statecode").asText();
            String status = m.path("labels").path("statuscode").asText();
            Response rows = api.get("asyncoperations?$select=asyncoperationid&$count=true&$filter=statecode%20eq%20" + state
                    + "%20and%20statuscode%20eq%20" + status);
            assertEquals(200, rows.status(), rows.body());
            assertEquals(rows.json().path("@odata.count").asDouble(), m.path("value").asDouble(),
                    "jobs in " + state + "/" + status);
        }
    }
}
