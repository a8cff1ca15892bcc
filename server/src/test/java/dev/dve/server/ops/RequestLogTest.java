package dev.dve.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every answer carries Dataverse's request id headers ({@code REQ_ID}, {@code x-ms-service-request-id}); the request
 * log writes one line per request with that id, the client's correlation id and the user; lines the engine logs
 * while it works for a request carry the same ids.
 */
class RequestLogTest extends EmulatorTest {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String APP_USER = "00000000-0000-0000-0000-000000000101";

    @Test
    void everyAnswerCarriesTheRequestIdHeaders() {
        Response ok = api.get("WhoAmI");
        Response missing = api.get("accounts(" + UUID.randomUUID() + ")");
        Response unauthenticated = anonymous.get("accounts");
        Response admin = anonymous.get("/admin/health");
        for (Response r : new Response[]{ok, missing, unauthenticated, admin}) {
            String id = r.header("REQ_ID");
            assertNotNull(id, r.headers().toString());
            assertTrue(GUID.matcher(id).matches(), id);
            assertEquals(id, r.header("x-ms-service-request-id"));
        }
        assertEquals(200, ok.status());
        assertEquals(404, missing.status());
        assertEquals(401, unauthenticated.status());
        assertNotEquals(ok.header("REQ_ID"), missing.header("REQ_ID"), "each request has its own id");
    }

    @Test
    void theRequestLogLineCarriesTheIdsTheRouteAndTheUser() {
        try (LogCapture log = new LogCapture(RequestTelemetry.REQUEST_LOG, Level.INFO)) {
            String correlation = UUID.randomUUID().toString();
            Response r = api.get("accounts?$select=name", "x-ms-correlation-request-id", correlation);
            assertEquals(200, r.status());
            ILoggingEvent line = log.requestLine(r.header("REQ_ID"));
            assertEquals(correlation, line.getMDCPropertyMap().get(RequestTelemetry.MDC_CORRELATION_ID));
            assertEquals(APP_USER, line.getMDCPropertyMap().get(RequestTelemetry.MDC_USER_ID));
            Map<String, String> fields = fields(line);
            assertEquals("GET", fields.get("method"));
            assertEquals("/api/data/{version}/{entityset}", fields.get("route"));
            assertEquals("200", fields.get("status"));
            assertEquals(APP_USER, fields.get("userId"));
            assertTrue(Long.parseLong(fields.get("durationMs")) >= 0);
            assertTrue(line.getFormattedMessage().startsWith("GET /api/data/{version}/{entityset} 200 "), line.getFormattedMessage());

            Response byClient = api.get("WhoAmI", "client-request-id", "client-42");
            assertEquals("client-42", log.requestLine(byClient.header("REQ_ID")).getMDCPropertyMap().get(RequestTelemetry.MDC_CORRELATION_ID),
                    "client-request-id is honoured when no x-ms-correlation-request-id is sent");

            Response none = anonymous.get("accounts");
            ILoggingEvent anonymousLine = log.requestLine(none.header("REQ_ID"));
            assertEquals(none.header("REQ_ID"), anonymousLine.getMDCPropertyMap().get(RequestTelemetry.MDC_CORRELATION_ID),
                    "without a client id the request id correlates");
            assertEquals(null, anonymousLine.getMDCPropertyMap().get(RequestTelemetry.MDC_USER_ID), "no user before a token");
            assertEquals("401", fields(anonymousLine).get("status"));

            Response forged = api.get("WhoAmI", "x-ms-correlation-request-id", "x\" injected=1 <script>");
            assertEquals(forged.header("REQ_ID"), log.requestLine(forged.header("REQ_ID")).getMDCPropertyMap()
                    .get(RequestTelemetry.MDC_CORRELATION_ID), "an id that is not a plain token never reaches the log");
        }
    }

    @Test
    void linesTheEngineLogsForARequestCarryItsIds() {
        api.clock("2026-03-02T09:00:00Z", null);
        active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        String account = api.createAccount("Logged Ltd");
        String job = api.get("asyncoperations?$select=asyncoperationid&$filter=_regardingobjectid_value%20eq%20" + account)
                .json().path("value").get(0).path("asyncoperationid").asText();
        try (LogCapture engine = new LogCapture("dev.dve.engine.async.AsyncService", Level.DEBUG)) {
            String correlation = UUID.randomUUID().toString();
            Response run = api.post("/admin/async/run-until-idle", "{}", "x-ms-correlation-request-id", correlation);
            assertEquals(1, run.json().path("jobs").asInt(), run.body());
            ILoggingEvent line = engine.await(e -> e.getFormattedMessage().contains(job)).orElseThrow(
                    () -> new AssertionError("no engine line names job " + job + ": " + engine.lines()));
            assertEquals(run.header("REQ_ID"), line.getMDCPropertyMap().get(RequestTelemetry.MDC_REQUEST_ID));
            assertEquals(correlation, line.getMDCPropertyMap().get(RequestTelemetry.MDC_CORRELATION_ID));
            // (no user: on a loopback-only server the admin API reads no token)
            assertEquals(job, line.getMDCPropertyMap().get("jobId"));
            assertTrue(line.getFormattedMessage().contains("succeeded"), line.getFormattedMessage());
        }
    }

    private static Map<String, String> fields(ILoggingEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                m.put(kv.key, String.valueOf(kv.value));
            }
        }
        return m;
    }
}
