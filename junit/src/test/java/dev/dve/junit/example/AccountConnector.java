package dev.dve.junit.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code under test in the example: a small connector as an application would have it, talking to the Dataverse
 * Web API with java.net.http and a bearer token. Nothing in it knows about the emulator.
 */
public final class AccountConnector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-fA-F-]{36})\\)$");
    private final HttpClient http = HttpClient.newHttpClient();
    private final String webApiUrl;
    private final Supplier<String> token;

    /** {@code webApiUrl} ends with {@code /api/data/v9.2/}; {@code token} hands out a bearer token for each call. */
    public AccountConnector(String webApiUrl, Supplier<String> token) {
        this.webApiUrl = webApiUrl;
        this.token = token;
    }

    /** Creates an account; answers its id. */
    public UUID createAccount(String name, String city) throws IOException, InterruptedException {
        return create("accounts", JSON.createObjectNode().put("name", name).put("address1_city", city));
    }

    public JsonNode account(UUID id) throws IOException, InterruptedException {
        return get("accounts(" + id + ")?$select=name,address1_city,description,createdon,_createdby_value");
    }

    /** Creates a record; answers its id, read from the OData-EntityId header of the 204. */
    public UUID create(String entitySet, ObjectNode record) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(entitySet).POST(HttpRequest.BodyPublishers.ofString(record.toString())));
        String entityId = r.headers().firstValue("OData-EntityId").orElseThrow();
        Matcher m = ENTITY_ID.matcher(entityId);
        if (!m.find()) {
            throw new IOException("No id in OData-EntityId: " + entityId);
        }
        return UUID.fromString(m.group(1));
    }

    public void update(String entitySet, UUID id, ObjectNode changes) throws IOException, InterruptedException {
        send(request(entitySet + "(" + id + ")").method("PATCH", HttpRequest.BodyPublishers.ofString(changes.toString())));
    }

    /** The rows of a collection matching an OData {@code $filter}. */
    public JsonNode query(String entitySet, String filter) throws IOException, InterruptedException {
        return get(entitySet + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")).path("value");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(send(request(path).GET()).body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(webApiUrl + path))
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new IOException("Dataverse answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }
}
