package dev.dve.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The admin API over HTTP, for an emulator started elsewhere: {@code new HttpAdmin("http://localhost:5555")} for one
 * listening on loopback (its admin API is open there), or with a System Administrator's bearer token otherwise.
 */
public final class HttpAdmin implements Admin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Supplier<String> token;

    /** An emulator whose admin API needs no token (it listens on loopback only). */
    public HttpAdmin(String baseUrl) {
        this(baseUrl, () -> null);
    }

    /** Sends {@code Authorization: Bearer <token>} with every call. */
    public HttpAdmin(String baseUrl, String bearerToken) {
        this(baseUrl, () -> bearerToken);
    }

    /** Asks {@code token} before every call, so a long run can hand over a fresh token. */
    public HttpAdmin(String baseUrl, Supplier<String> token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    @Override
    public Health health() {
        JsonNode h = send("GET", "/admin/health", null, 503);
        return new Health(h.path("status").asText(), h.path("nodeId").asText(), h.path("database").asText(), instant(h.path("now")));
    }

    @Override
    public int reset() {
        return send("POST", "/admin/reset", JSON.createObjectNode()).path("records").asInt();
    }

    @Override
    public ClockReading clock() {
        return clockReading(send("GET", "/admin/clock", null));
    }

    @Override
    public ClockReading freezeClock(boolean frozen) {
        return changeClock(JSON.createObjectNode().put("freeze", frozen));
    }

    @Override
    public ClockReading setClock(Instant instant) {
        return changeClock(JSON.createObjectNode().put("set", instant == null ? null : instant.toString()));
    }

    @Override
    public ClockReading advanceClock(Duration duration) {
        return changeClock(JSON.createObjectNode().put("advance", duration == null ? null : duration.toString()));
    }

    private ClockReading changeClock(ObjectNode body) {
        return clockReading(send("POST", "/admin/clock", body));
    }

    private static ClockReading clockReading(JsonNode c) {
        return new ClockReading(instant(c.path("now")), c.path("frozen").asBoolean());
    }

    @Override
    public IdleReport runUntilIdle(int limit) {
        JsonNode r = send("POST", "/admin/async/run-until-idle", JSON.createObjectNode().put("limit", limit));
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        r.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("jobs") && !f.getKey().equals("now") && f.getValue().asInt() > 0) {
                outcomes.put(f.getKey(), f.getValue().asInt());
            }
        });
        return new IdleReport(r.path("jobs").asInt(), outcomes, instant(r.path("now")));
    }

    @Override
    public InjectedFault injectFault(FaultKind kind, int count, UUID workflowId) {
        ObjectNode body = JSON.createObjectNode().put("fault", kind == null ? "" : kind.wireName()).put("count", count);
        if (workflowId != null) {
            body.put("workflowId", workflowId.toString());
        }
        JsonNode r = send("POST", "/admin/faults", body);
        return new InjectedFault(UUID.fromString(r.path("faultid").asText()), kind, r.path("remaining").asInt(), workflowId);
    }

    @Override
    public List<InjectedFault> faults() {
        List<InjectedFault> out = new ArrayList<>();
        for (JsonNode f : send("GET", "/admin/faults", null).path("value")) {
            out.add(new InjectedFault(UUID.fromString(f.path("id").asText()), FaultKind.fromWireName(f.path("kind").asText()),
                    f.path("remaining").asInt(), f.hasNonNull("workflowId") ? UUID.fromString(f.get("workflowId").asText()) : null));
        }
        return out;
    }

    @Override
    public void clearFaults() {
        send("DELETE", "/admin/faults", null);
    }

    @Override
    public void registerCustomActivity(String typeName, String url) {
        send("POST", "/admin/custom-activities", JSON.createObjectNode().put("type", typeName).put("url", url));
    }

    @Override
    public void setPassword(String userName, String password) {
        send("POST", "/admin/credentials", JSON.createObjectNode().put("username", userName).put("secret", password));
    }

    @Override
    public void setClientSecret(String clientId, String secret) {
        send("POST", "/admin/credentials", JSON.createObjectNode().put("clientId", clientId).put("secret", secret));
    }

    private static Instant instant(JsonNode text) {
        return text.isTextual() ? Instant.parse(text.asText()) : null;
    }

    /** Sends one call; answers its JSON, or throws the refusal. {@code alsoOk} is a status answered with a body to read. */
    private JsonNode send(String method, String path, JsonNode body, int... alsoOk) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        String bearer = token.get();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = execute(b.build());
        JsonNode answer = parse(r.body());
        boolean ok = r.statusCode() / 100 == 2 || java.util.Arrays.stream(alsoOk).anyMatch(s -> s == r.statusCode());
        if (!ok) {
            JsonNode error = answer.path("error");
            throw new AdminException(r.statusCode(), error.path("code").asText(""),
                    error.path("message").asText(r.body().isEmpty() ? "(no body)" : r.body()));
        }
        return answer;
    }

    private HttpResponse<String> execute(HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                // a kept-alive connection the server had just closed: the request got no byte back, so it was never read
                if (!String.valueOf(closed.getMessage()).contains("received no bytes")) {
                    throw closed;
                }
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach the emulator's admin API at " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted calling " + request.uri(), e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
