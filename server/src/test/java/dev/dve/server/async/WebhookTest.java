package dev.dve.server.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks registered over the Web API exactly as against a real organization — messages and filters looked up by
 * name, a service endpoint with contract 8, an asynchronous post-operation step bound with {@code @odata.bind} — queue
 * a System Event job per matching operation, in the operation's transaction, and the job POSTs Dataverse's
 * RemoteExecutionContext with the endpoint's authentication, settling by the "other system job" column.
 */
class WebhookTest extends EmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOREVER = "9999-12-30T23:59:59Z";
    private static final String NOW = "2026-03-02T09:00:00Z";
    private static final String APPLICATION_USER = "00000000-0000-0000-0000-000000000101";
    private WireMockServer receiver;

    @BeforeAll
    void startReceiver() {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    @AfterAll
    void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void freezeClock() {
        receiver.resetAll();
        answer("/hook", 200);
        assertEquals(200, api.post("/admin/clock", "{\"freeze\":true,\"set\":\"" + NOW + "\"}").status());
    }

    // ------------------------------------------------------------------ registration, as a client does it

    private void answer(String path, int status) {
        receiver.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.port() + path;
    }

    private String messageId(String name) {
        JsonNode v = api.get("sdkmessages?$select=sdkmessageid,name&$filter=name%20eq%20'" + name + "'").json().path("value");
        assertEquals(1, v.size(), name + ": " + v);
        return v.get(0).path("sdkmessageid").asText();
    }

    private String filterId(String message, String entity) {
        JsonNode v = api.get("sdkmessagefilters?$select=sdkmessagefilterid&$filter=_sdkmessageid_value%20eq%20" + messageId(message)
                + "%20and%20primaryobjecttypecode%20eq%20'" + entity + "'").json().path("value");
        assertEquals(1, v.size(), message + " of " + entity + ": " + v);
        return v.get(0).path("sdkmessagefilterid").asText();
    }

    private String endpoint(String name, String url, Integer authType, String authValue) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("contract", 8);
        body.put("url", url);
        if (authType != null) {
            body.put("authtype", authType);
            body.put("authvalue", authValue);
        }
        Response r = api.post("serviceendpoints", json(body), "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("serviceendpointid").asText();
    }

    private String step(String name, String message, String entity, String endpoint, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("mode", 1);
        body.put("stage", 40);
        body.put("rank", 1);
        body.put("supporteddeployment", 0);
        body.put("sdkmessageid@odata.bind", "/sdkmessages(" + messageId(message) + ")");
        body.put("sdkmessagefilterid@odata.bind", "/sdkmessagefilters(" + filterId(message, entity) + ")");
        body.put("eventhandler_serviceendpoint@odata.bind", "/serviceendpoints(" + endpoint + ")");
        body.putAll(extra);
        Response r = api.post("sdkmessageprocessingsteps", json(body), "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("sdkmessageprocessingstepid").asText();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ records, jobs and calls

    private String createAccount(String body) {
        Response r = api.post("accounts", body, "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("accountid").asText();
    }

    private JsonNode jobsOf(String step) {
        return api.get("asyncoperations?$filter=_owningextensionid_value%20eq%20" + step + "&$orderby=createdon").json().path("value");
    }

    private JsonNode onlyJobOf(String step) {
        JsonNode jobs = jobsOf(step);
        assertEquals(1, jobs.size(), jobs.toString());
        return jobs.get(0);
    }

    private JsonNode job(String id) {
        Response r = api.get("asyncoperations(" + id + ")");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private JsonNode runUntilIdle() {
        Response r = api.post("/admin/async/run-until-idle", "{}");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private int systemEvents() {
        return api.get("asyncoperations?$filter=operationtype%20eq%201&$count=true").json().path("@odata.count").asInt();
    }

    private List<LoggedRequest> calls(String path) {
        return receiver.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    private static JsonNode body(LoggedRequest call) {
        try {
            return JSON.readTree(call.getBodyAsString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code key}/{@code value} pairs of a DataContract collection, by key. */
    private static Map<String, JsonNode> pairs(JsonNode list) {
        Map<String, JsonNode> out = new HashMap<>();
        list.forEach(p -> out.put(p.path("key").asText(), p.path("value")));
        return out;
    }

    private static void assertState(JsonNode job, int state, int status) {
        assertEquals(state, job.path("statecode").asInt(), job.toString());
        assertEquals(status, job.path("statuscode").asInt(), job.toString());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void messagesAndFiltersAreQueryableAsInARealOrganization() {
        assertEquals("9ebdbb1b-ea3e-db11-86a7-000a3a5473e8", messageId("Create"), "the id every organization gives Create");
        assertEquals("c2c5bb1b-ea3e-db11-86a7-000a3a5473e8", filterId("Create", "account"));
        for (String entity : List.of("account", "contact", "task", "email")) {
            for (String message : List.of("Create", "Update", "Delete")) {
                filterId(message, entity);
            }
        }
        JsonNode expanded = api.get("sdkmessagefilters(c2c5bb1b-ea3e-db11-86a7-000a3a5473e8)?$select=primaryobjecttypecode,secondaryobjecttypecode,"
                + "iscustomprocessingstepallowed&$expand=sdkmessageid($select=name)").json();
        assertEquals("Create", expanded.path("sdkmessageid").path("name").asText(), expanded.toString());
        assertEquals("none", expanded.path("secondaryobjecttypecode").asText());
        assertTrue(expanded.path("iscustomprocessingstepallowed").asBoolean());
    }

    @Test
    void aCreateIsPostedWithTheContextOfTheEventAndTheWebhookKey() {
        String hook = endpoint("Contoso function", url("/hook"), 4, "the-function-key");
        String step = step("Contoso: Create of account", "Create", "account", hook, Map.of());
        String account = createAccount("{\"name\":\"Northwind\",\"creditlimit\":1500.5,\"customertypecode\":3,\"numberofemployees\":12}");

        JsonNode queued = onlyJobOf(step);
        assertState(queued, 0, 0);
        assertEquals(1, queued.path("operationtype").asInt());
        assertEquals("Contoso: Create of account", queued.path("name").asText());
        assertEquals("Create", queued.path("messagename").asText());
        assertEquals("account", queued.path("primaryentitytype").asText());
        assertEquals(account, queued.path("_regardingobjectid_value").asText());
        assertEquals(1, queued.path("depth").asInt());
        assertTrue(calls("/hook").isEmpty(), "nothing is sent before a worker runs the job");

        // the job sends the event as it was, not the record as it is when the job runs
        assertEquals(204, api.patch("accounts(" + account + ")", "{\"name\":\"Renamed later\"}").status());
        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("succeeded").asInt(), report.toString());
        assertState(job(queued.path("asyncoperationid").asText()), 3, 30);

        List<LoggedRequest> calls = calls("/hook");
        assertEquals(1, calls.size());
        LoggedRequest call = calls.get(0);
        assertEquals("the-function-key", call.queryParameter("code").firstValue(), "WebhookKey: ?code=");
        assertTrue(call.getHeader("Content-Type").startsWith("application/json"), call.getHeader("Content-Type"));
        assertEquals("account", call.getHeader("x-ms-dynamics-entity-name"));
        assertEquals("Create", call.getHeader("x-ms-dynamics-request-name"));
        assertEquals(queued.path("correlationid").asText(), call.getHeader("x-ms-correlation-request-id"));

        String raw = call.getBodyAsString();
        assertTrue(raw.contains("\"value\":{\"__type\":\"Entity:http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts\""),
                "the Target's type hint comes first, slashes escaped as .NET writes them: " + raw);
        long epochMillis = Instant.parse(NOW).toEpochMilli();
        assertTrue(raw.contains("\"OperationCreatedOn\":\"\\/Date(" + epochMillis + ")\\/\""), raw);

        JsonNode context = body(call);
        assertEquals("Create", context.path("MessageName").asText());
        assertEquals("account", context.path("PrimaryEntityName").asText());
        assertEquals(account, context.path("PrimaryEntityId").asText());
        assertEquals("none", context.path("SecondaryEntityName").asText());
        assertEquals(40, context.path("Stage").asInt());
        assertEquals(1, context.path("Mode").asInt());
        assertEquals(1, context.path("Depth").asInt());
        assertEquals(APPLICATION_USER, context.path("UserId").asText());
        assertEquals(APPLICATION_USER, context.path("InitiatingUserId").asText());
        assertEquals("00000000-0000-0000-0000-0000000000b0", context.path("BusinessUnitId").asText());
        assertEquals("00000000-0000-0000-0000-00000000000a", context.path("OrganizationId").asText());
        assertEquals("emulator", context.path("OrganizationName").asText());
        assertEquals(queued.path("asyncoperationid").asText(), context.path("OperationId").asText());
        assertEquals(queued.path("correlationid").asText(), context.path("CorrelationId").asText());
        assertFalse(context.path("IsInTransaction").asBoolean());
        assertTrue(context.path("ParentContext").isNull());
        assertEquals(step, context.path("OwningExtension").path("Id").asText());
        assertEquals("sdkmessageprocessingstep", context.path("OwningExtension").path("LogicalName").asText());
        assertEquals("Contoso: Create of account", context.path("OwningExtension").path("Name").asText());
        assertEquals(account, pairs(context.path("OutputParameters")).get("id").asText(), "Create answers the new id");

        JsonNode target = pairs(context.path("InputParameters")).get("Target");
        assertEquals("account", target.path("LogicalName").asText());
        assertEquals(account, target.path("Id").asText());
        Map<String, JsonNode> attributes = pairs(target.path("Attributes"));
        assertEquals("Northwind", attributes.get("name").asText(), "the name at the event, not the later one");
        assertEquals(account, attributes.get("accountid").asText());
        assertEquals(12, attributes.get("numberofemployees").asInt());
        assertEquals("OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts", attributes.get("customertypecode").path("__type").asText());
        assertEquals(3, attributes.get("customertypecode").path("Value").asInt());
        assertEquals("Money:http://schemas.microsoft.com/xrm/2011/Contracts", attributes.get("creditlimit").path("__type").asText());
        assertEquals(0, attributes.get("creditlimit").path("Value").decimalValue().compareTo(new java.math.BigDecimal("1500.5")));
        assertEquals("EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts", attributes.get("ownerid").path("__type").asText());
        assertEquals("systemuser", attributes.get("ownerid").path("LogicalName").asText());
        assertEquals("/Date(" + epochMillis + ")/", attributes.get("createdon").asText());
        assertFalse(attributes.containsKey("versionnumber"));

        JsonNode image = pairs(context.path("PostEntityImages")).get("AsynchronousStepPrimaryName");
        assertEquals("Northwind", pairs(image.path("Attributes")).get("name").asText());
        assertEquals(0, runUntilIdle().path("jobs").asInt(), "nothing left to send");
    }

    @Test
    void updatesTriggerByFilteringAttributesAndHeadersAndQueryStringsAuthenticate() {
        String headers = endpoint("Header hook", url("/headers"), 5,
                "<settings><setting name=\"X-Api-Key\" value=\"k-123\" /><setting name=\"X-Tenant\" value=\"contoso\" /></settings>");
        String queries = endpoint("Query hook", url("/queries?fixed=1"), 6,
                "<settings><setting name=\"sig\" value=\"a b&amp;c\" /><setting name=\"tenant\" value=\"contoso\" /></settings>");
        answer("/headers", 204);
        answer("/queries", 202);
        String onPhone = step("Phone changed", "Update", "account", headers, Map.of("filteringattributes", "telephone1, fax"));
        String onDelete = step("Account deleted", "Delete", "account", queries, Map.of("asyncautodelete", true));
        String account = createAccount("{\"name\":\"Filtered\"}");

        assertEquals(204, api.patch("accounts(" + account + ")", "{\"name\":\"Still filtered\"}").status());
        assertEquals(0, jobsOf(onPhone).size(), "an update of other attributes does not trigger the step");
        assertEquals(204, api.patch("accounts(" + account + ")", "{\"telephone1\":\"555-0199\",\"description\":\"x\"}").status());
        assertEquals(1, jobsOf(onPhone).size(), "one of the filtering attributes was set");
        assertEquals(204, api.delete("accounts(" + account + ")").status());
        String deleteJob = onlyJobOf(onDelete).path("asyncoperationid").asText();
        assertEquals(account, onlyJobOf(onDelete).path("_regardingobjectid_value").asText(), "the job still names the deleted record");

        JsonNode report = runUntilIdle();
        assertEquals(2, report.path("succeeded").asInt(), report.toString());

        LoggedRequest update = calls("/headers").get(0);
        assertEquals("k-123", update.getHeader("X-Api-Key"), "HttpHeader: each setting is a header");
        assertEquals("contoso", update.getHeader("X-Tenant"));
        assertFalse(update.getUrl().contains("k-123"));
        JsonNode context = body(update);
        assertEquals("Update", context.path("MessageName").asText());
        Map<String, JsonNode> changed = pairs(pairs(context.path("InputParameters")).get("Target").path("Attributes"));
        assertEquals("555-0199", changed.get("telephone1").asText());
        assertEquals("x", changed.get("description").asText());
        assertFalse(changed.containsKey("name"), "an update's Target holds what the update wrote: " + changed.keySet());
        assertTrue(changed.get("modifiedon").asText().startsWith("/Date("), changed.toString());
        assertEquals(0, context.path("OutputParameters").size());
        assertEquals("Still filtered", pairs(pairs(context.path("PostEntityImages")).get("AsynchronousStepPrimaryName").path("Attributes"))
                .get("name").asText());

        LoggedRequest delete = calls("/queries").get(0);
        assertEquals("a b&c", delete.queryParameter("sig").firstValue(), "HttpQueryString: each setting is a parameter");
        assertEquals("contoso", delete.queryParameter("tenant").firstValue());
        assertEquals("1", delete.queryParameter("fixed").firstValue(), "the endpoint's own query string is kept");
        JsonNode deleted = body(delete);
        assertEquals("Delete", deleted.path("MessageName").asText());
        JsonNode target = pairs(deleted.path("InputParameters")).get("Target");
        assertEquals("EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts", target.path("__type").asText(), "a delete's Target is a reference");
        assertEquals(account, target.path("Id").asText());
        assertEquals(0, deleted.path("PostEntityImages").size());
        assertEquals(404, api.get("asyncoperations(" + deleteJob + ")").status(), "asyncautodelete removes the succeeded job");
    }

    @Test
    void aRolledBackChangeSetQueuesNothing() {
        String step = step("On create", "Create", "account", endpoint("Hook", url("/hook"), 4, "k"), Map.of());
        String base = "/api/data/v9.2/";
        String body = "--batch_W\r\nContent-Type: multipart/mixed; boundary=changeset_W\r\n\r\n"
                + "--changeset_W\r\n" + part("POST", base + "accounts", "1", "{\"name\":\"Doomed\"}")
                + "--changeset_W\r\n" + part("POST", base + "accounts", "2", "{\"name\":\"Bad\",\"customertypecode\":99}")
                + "--changeset_W--\r\n--batch_W--\r\n";
        Response r = api.send("POST", "$batch", body, "Content-Type", "multipart/mixed; boundary=\"batch_W\"");
        assertEquals(400, r.status(), r.body());
        assertEquals(0, api.get("accounts?$filter=name%20eq%20'Doomed'&$count=true").json().path("@odata.count").asInt());
        assertEquals(0, jobsOf(step).size(), "the first create's job went with its change set");
        assertEquals(0, runUntilIdle().path("jobs").asInt());
        assertTrue(calls("/hook").isEmpty());

        createAccount("{\"name\":\"Committed\"}");
        assertEquals(1, jobsOf(step).size());
    }

    private static String part(String method, String url, String contentId, String body) {
        return "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " + contentId + "\r\n\r\n"
                + method + " " + url + " HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n" + body + "\r\n";
    }

    @Test
    void aFailedAnswerRetriesAndUnauthorizedSuspends() {
        answer("/failing", 500);
        answer("/locked", 401);
        String failing = step("Failing", "Create", "account", endpoint("Failing", url("/failing"), 4, "k"), Map.of());
        String locked = step("Locked", "Create", "contact", endpoint("Locked", url("/locked"), 4, "k"), Map.of());
        createAccount("{\"name\":\"Retried\"}");
        assertEquals(201, api.post("contacts", "{\"lastname\":\"Suspended\"}", "Prefer", "return=representation").status());

        JsonNode report = runUntilIdle();
        assertEquals(1, report.path("retrying").asInt(), report.toString());
        assertEquals(1, report.path("suspended").asInt(), report.toString());

        JsonNode retried = onlyJobOf(failing);
        assertState(retried, 1, 10);
        assertEquals(1, retried.path("retrycount").asInt());
        assertEquals(Instant.parse(NOW).plusSeconds(36).toString(), retried.path("postponeuntil").asText(), "the first retry waits 36 s");
        assertEquals(0x80044306, retried.path("errorcode").asInt());

        JsonNode suspended = onlyJobOf(locked);
        assertState(suspended, 1, 10);
        assertEquals(FOREVER, suspended.path("postponeuntil").asText(), "401 waits for a person");
        assertEquals(0, suspended.path("retrycount").asInt());
        assertEquals(0x80044306, suspended.path("errorcode").asInt());

        answer("/failing", 200);
        assertEquals(200, api.post("/admin/clock", "{\"advance\":\"PT36S\"}").status());
        assertEquals(1, runUntilIdle().path("succeeded").asInt(), "the retry is due and the receiver answers now");
        assertState(job(retried.path("asyncoperationid").asText()), 3, 30);
        assertEquals(2, calls("/failing").size());
        assertEquals(body(calls("/failing").get(0)), body(calls("/failing").get(1)), "a retry sends the same context");
    }

    @Test
    void noConnectionRetries() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String step = step("Nobody home", "Create", "account", endpoint("Closed", "http://127.0.0.1:" + closedPort + "/hook", 4, "k"), Map.of());
        createAccount("{\"name\":\"Unreachable\"}");
        assertEquals(1, runUntilIdle().path("retrying").asInt());
        JsonNode job = onlyJobOf(step);
        assertState(job, 1, 10);
        assertEquals(1, job.path("retrycount").asInt());
        assertEquals(0x80044306, job.path("errorcode").asInt());
        assertEquals(Instant.parse(NOW).plusSeconds(36).toString(), job.path("postponeuntil").asText());
    }

    @Test
    void disabledStepsOtherEntitiesAndOtherMessagesQueueNothing() {
        String hook = endpoint("Hook", url("/hook"), 4, "k");
        String disabled = step("Disabled", "Create", "account", hook, Map.of());
        assertEquals(204, api.patch("sdkmessageprocessingsteps(" + disabled + ")", "{\"statecode\":1,\"statuscode\":2}").status());
        String onContacts = step("Contacts only", "Create", "contact", hook, Map.of());
        String onUpdates = step("Updates only", "Update", "account", hook, Map.of());
        createAccount("{\"name\":\"Quiet\"}");
        assertEquals(0, systemEvents());
        assertEquals(0, jobsOf(disabled).size() + jobsOf(onContacts).size() + jobsOf(onUpdates).size());

        assertEquals(204, api.patch("sdkmessageprocessingsteps(" + disabled + ")", "{\"statecode\":0,\"statuscode\":1}").status());
        createAccount("{\"name\":\"Heard\"}");
        assertEquals(1, jobsOf(disabled).size(), "enabled again, the step hears the next create");
    }

    @Test
    void onlySystemAdministratorsRegisterWebhooks() {
        WebApi basic = as("basic@emulator.local");
        Response endpoint = basic.post("serviceendpoints", "{\"name\":\"Mine\",\"contract\":8,\"url\":\"" + url("/hook") + "\"}");
        assertEquals(403, endpoint.status(), endpoint.body());
        String hook = endpoint("Hook", url("/hook"), 4, "k");
        Response step = basic.post("sdkmessageprocessingsteps", "{\"name\":\"Mine\",\"mode\":1,\"stage\":40,"
                + "\"sdkmessageid@odata.bind\":\"/sdkmessages(" + messageId("Create") + ")\","
                + "\"eventhandler_serviceendpoint@odata.bind\":\"/serviceendpoints(" + hook + ")\"}");
        assertEquals(403, step.status(), step.body());
        assertEquals("0x80040220", step.errorCode());
        Response message = basic.post("sdkmessages", "{\"name\":\"Mine\"}");
        assertEquals(403, message.status(), message.body());
    }
}
