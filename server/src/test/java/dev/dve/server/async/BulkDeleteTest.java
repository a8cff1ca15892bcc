package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bulk Delete system job (operation type 13), started as a client starts it — {@code POST BulkDelete} with a
 * QuerySet of QueryExpressions — and run with run-until-idle on a frozen clock: old completed jobs and their process
 * logs go, everything else stays, failures are counted, and the rules of who may ask and what may be asked hold.
 */
class BulkDeleteTest extends EmulatorTest {
    private static final String APPLICATION_USER = "00000000-0000-0000-0000-000000000101";

    @BeforeEach
    void freezeClock() {
        api.clock("2026-03-02T09:00:00Z", null);
    }

    private JsonNode runUntilIdle() {
        return api.runUntilIdle();
    }

    private void advance(String duration) {
        api.clock(null, duration);
    }

    private String createAccount(String name) {
        return api.createAccount(name);
    }

    private String jobOf(String accountId) {
        JsonNode jobs = api.get("asyncoperations?$filter=_regardingobjectid_value%20eq%20" + accountId).json().path("value");
        assertEquals(1, jobs.size(), jobs.toString());
        return jobs.get(0).path("asyncoperationid").asText();
    }

    private JsonNode job(String jobId) {
        Response r = api.get("asyncoperations(" + jobId + ")");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private int logsOf(String jobId) {
        return api.get("workflowlogs?$filter=_asyncoperationid_value%20eq%20" + jobId).json().path("value").size();
    }

    private static void assertState(JsonNode job, int state, int status) {
        assertEquals(state, job.path("statecode").asInt(), job.toString());
        assertEquals(status, job.path("statuscode").asInt(), job.toString());
    }

    private static String bulkDelete(String jobName, String querySet, String extra) {
        return "{\"QuerySet\":" + querySet + ",\"JobName\":\"" + jobName + "\",\"SendEmailNotification\":false,"
                + "\"ToRecipients\":[],\"CCRecipients\":[],\"RecurrencePattern\":\"\"" + (extra == null ? "" : "," + extra) + "}";
    }

    private static String condition(String attribute, String operator, String... values) {
        List<String> v = new ArrayList<>();
        for (String x : values) {
            v.add("{\"Value\":\"" + x + "\",\"Type\":\"System.String\"}");
        }
        return "{\"AttributeName\":\"" + attribute + "\",\"Operator\":\"" + operator + "\",\"Values\":[" + String.join(",", v) + "]}";
    }

    private static String query(String entity, String filterOperator, String... conditions) {
        return "{\"EntityName\":\"" + entity + "\",\"ColumnSet\":{\"AllColumns\":false,\"Columns\":[]},\"Criteria\":{\"FilterOperator\":\""
                + filterOperator + "\",\"Conditions\":[" + String.join(",", conditions) + "]}}";
    }

    private String submit(String body) {
        Response r = api.post("BulkDelete", body);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().path("@odata.context").asText().endsWith("$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse"), r.body());
        return r.json().path("JobId").asText();
    }

    @Test
    void oldCompletedJobsAndTheirLogsAreRemovedAndEverythingElseStays() {
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(jobOf(createAccount("Old " + i)));
        }
        String suspended = jobOf(createAccount("Postponed"));
        assertEquals(204, api.patch("asyncoperations(" + suspended + ")", "{\"postponeuntil\":\"2027-01-01T00:00:00Z\"}").status());
        assertEquals(3, runUntilIdle().path("succeeded").asInt());
        for (String j : old) {
            assertState(job(j), 3, 30);
            assertTrue(logsOf(j) > 0, "a run writes process log rows");
        }

        advance("P10D");
        String recent = jobOf(createAccount("Recent"));
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        int recentLogs = logsOf(recent);
        assertTrue(recentLogs > 0);

        // old completed jobs, and (a second query) the suspended ones, which the platform refuses to delete
        String querySet = "[" + query("asyncoperation", "And", condition("statecode", "Equal", "3"),
                condition("operationtype", "Equal", "10"), condition("completedon", "OlderThanXDays", "7"))
                + "," + query("asyncoperation", "And", condition("statecode", "Equal", "1")) + "]";
        String bulk = submit(bulkDelete("Clean up system jobs", querySet, null));
        JsonNode queued = job(bulk);
        assertState(queued, 0, 0);
        assertEquals(13, queued.path("operationtype").asInt());
        assertEquals("Clean up system jobs", queued.path("name").asText());
        assertEquals(APPLICATION_USER, queued.path("_ownerid_value").asText(), "the job belongs to whoever submitted it");
        assertTrue(queued.path("data").asText().contains("OlderThanXDays"), "the job keeps its queries: " + queued);
        for (String j : old) {
            assertEquals(200, api.get("asyncoperations(" + j + ")").status(), "nothing is deleted before the job runs");
        }

        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("jobs").asInt(), report.toString());
        assertEquals(1, report.path("succeeded").asInt(), report.toString());
        assertState(job(bulk), 3, 30);
        for (String j : old) {
            assertEquals(404, api.get("asyncoperations(" + j + ")").status(), "an old completed job is gone");
            assertEquals(0, logsOf(j), "its process log rows went with it");
        }
        assertState(job(recent), 3, 30);
        assertEquals(recentLogs, logsOf(recent), "a job completed within the last 7 days stays, with its logs");
        assertState(job(suspended), 1, 10);

        JsonNode operation = api.get("bulkdeleteoperations?$filter=_asyncoperationid_value%20eq%20" + bulk).json().path("value");
        assertEquals(1, operation.size(), operation.toString());
        assertEquals(3, operation.get(0).path("successcount").asInt(), operation.toString());
        assertEquals(1, operation.get(0).path("failurecount").asInt(), "the suspended job could not be deleted (0x8004416A): " + operation);
        assertState(operation.get(0), 3, 30);
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "nothing left to run");
    }

    @Test
    void aFutureStartDateTimeWaitsForTheClockAndNestedFiltersSelectTheRows() {
        List<String> temporary = new ArrayList<>();
        for (String n : List.of("Temp A", "Temp B", "Scratch C")) {
            temporary.add(createAccount(n));
        }
        String kept = createAccount("Keep me");
        String older = createAccount("Temp but kept");
        // name begins with Temp or is "Scratch C", and not the one named "Temp but kept"
        String querySet = "[{\"EntityName\":\"account\",\"Criteria\":{\"FilterOperator\":\"And\",\"Conditions\":["
                + condition("name", "NotEqual", "Temp but kept") + "],\"Filters\":[{\"FilterOperator\":\"Or\",\"Conditions\":["
                + condition("name", "BeginsWith", "Temp") + "," + condition("name", "In", "Scratch C", "Nobody") + "]}]}}]";
        String bulk = submit(bulkDelete("Later", querySet, "\"StartDateTime\":\"2026-03-02T10:00:00Z\",\"RunNow\":false"));
        JsonNode queued = job(bulk);
        assertEquals("2026-03-02T10:00:00Z", queued.path("postponeuntil").asText(), queued.toString());

        assertEquals(0, runUntilIdle().path("jobs").asInt(), "not due before its start");
        advance("PT59M59S");
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "not due a second early");
        for (String a : temporary) {
            assertEquals(200, api.get("accounts(" + a + ")").status());
        }
        advance("PT1S");
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        for (String a : temporary) {
            assertEquals(404, api.get("accounts(" + a + ")").status(), "deleted when the clock reached the start");
        }
        assertEquals(200, api.get("accounts(" + kept + ")").status());
        assertEquals(200, api.get("accounts(" + older + ")").status());
        assertEquals(3, api.get("bulkdeleteoperations?$filter=_asyncoperationid_value%20eq%20" + bulk).json().path("value").get(0)
                .path("successcount").asInt());
    }

    @Test
    void lessThanADateAndLikeSelectTheRows() {
        String before = createAccount("Before");
        advance("PT1H");
        String after = createAccount("After");
        String bulk = submit(bulkDelete("By date", "[" + query("account", "And", condition("createdon", "LessThan", "2026-03-02T09:30:00Z"),
                condition("name", "Like", "Bef%")) + "]", null));
        assertEquals(1, runUntilIdle().path("succeeded").asInt());
        assertState(job(bulk), 3, 30);
        assertEquals(404, api.get("accounts(" + before + ")").status());
        assertEquals(200, api.get("accounts(" + after + ")").status());
    }

    @Test
    void aBasicUserMayNotSubmitABulkDelete() {
        Response r = as("basic@emulator.local").post("BulkDelete", bulkDelete("Mine", "[" + query("account", "And") + "]", null));
        assertEquals(403, r.status(), r.body());
        assertEquals("0x80040220", r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains("prvBulkDelete"), r.body());
        assertEquals(0, api.get("asyncoperations?$filter=operationtype%20eq%2013").json().path("value").size(), "no job was queued");
    }

    @Test
    void aMalformedOrUnsupportedQuerySetIsRefusedWithAnErrorBody() {
        String[][] cases = {
                {"{\"JobName\":\"No queries\"}", "QuerySet"},
                {bulkDelete("Not a list", "{\"EntityName\":\"account\"}", null), "QuerySet"},
                {bulkDelete("No entity", "[{\"Criteria\":{}}]", null), "EntityName"},
                {bulkDelete("Unknown entity", "[{\"EntityName\":\"spaceship\"}]", null), "spaceship"},
                {bulkDelete("Unknown column", "[" + query("account", "And", condition("warpfactor", "Equal", "9")) + "]", null), "warpfactor"},
                {bulkDelete("Bad value", "[" + query("account", "And", condition("numberofemployees", "Equal", "many")) + "]", null), "many"},
                {bulkDelete("Bad operator", "[" + query("account", "And", condition("name", "Sounds like", "x")) + "]", null), "Sounds like"},
                {bulkDelete("Unsupported operator", "[" + query("account", "And", condition("parentaccountid", "Under",
                        "00000000-0000-0000-0000-000000000001")) + "]", null), "Under"},
                {bulkDelete("Bad filter", "[" + query("account", "Xor") + "]", null), "Xor"},
                {bulkDelete("Null takes none", "[" + query("account", "And", condition("name", "Null", "x")) + "]", null), "Null"},
                {bulkDelete("Links", "[{\"EntityName\":\"account\",\"LinkEntities\":[{\"LinkToEntityName\":\"contact\"}]}]", null), "LinkEntities"},
                {bulkDelete("Recurring", "[" + query("account", "And") + "]", null).replace("\"RecurrencePattern\":\"\"",
                        "\"RecurrencePattern\":\"FREQ=DAILY;INTERVAL=1;\""), "RecurrencePattern"},
                {bulkDelete("", "[" + query("account", "And") + "]", null), "JobName"},
                {bulkDelete("Bad start", "[" + query("account", "And") + "]", "\"StartDateTime\":\"tomorrow\""), "StartDateTime"},
                {"{\"QuerySet\": [", null},
        };
        for (String[] c : cases) {
            Response r = api.post("BulkDelete", c[0]);
            assertEquals(400, r.status(), c[0] + " → " + r.body());
            assertFalse(r.errorCode() == null || r.errorCode().isEmpty(), "an error code: " + r.body());
            if (c[1] != null) {
                assertTrue(r.errorMessage().contains(c[1]), c[0] + " → " + r.body());
            }
        }
        assertEquals(0, api.get("asyncoperations?$filter=operationtype%20eq%2013").json().path("value").size(), "no job was queued");
    }

    @Test
    void theActionAndItsTypesAreInTheMetadata() {
        String metadata = api.get("$metadata").body();
        assertTrue(metadata.contains("<Action Name=\"BulkDelete\""), "the action");
        assertTrue(metadata.contains("<ActionImport Name=\"BulkDelete\""), "unbound");
        for (String type : List.of("BulkDeleteResponse", "QueryExpression", "FilterExpression", "ConditionExpression")) {
            assertTrue(metadata.contains("<ComplexType Name=\"" + type + "\""), type);
        }
        assertTrue(metadata.contains("<EnumType Name=\"ConditionOperator\""), "ConditionOperator");
        assertTrue(metadata.contains("<EntitySet Name=\"bulkdeleteoperations\""), "bulkdeleteoperations");
    }
}
