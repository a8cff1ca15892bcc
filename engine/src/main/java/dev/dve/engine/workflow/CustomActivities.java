package dev.dve.engine.workflow;

import dev.dve.engine.async.HttpCallFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.CustomActivityTable;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Custom code activities, emulated by HTTP call-outs: a type name (as the XAML names the activity's class) maps
 * to a URL, kept in the database so every node uses the same map. The engine POSTs
 * {@code {"inputs": {…}, "context": {…}}}; a 2xx JSON object holds the outputs; 400 with {@code {"message"}} is an
 * InvalidPluginExecutionException; 401 and other failures are the errors the async service classifies.
 */
public final class CustomActivities {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CustomActivityTable map;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CustomActivities(Database database, SchemaBuilder schema) {
        this.map = new CustomActivityTable(database, schema);
    }

    public void register(String typeName, String url) {
        map.put(typeName, url);
    }

    public Optional<String> url(String typeName) {
        return map.url(typeName);
    }

    public void clear() {
        map.clear();
    }

    /** Calls the activity; answers its outputs or throws the fault its answer stands for. */
    public Map<String, Object> invoke(String typeName, Map<String, Object> inputs, Map<String, Object> context) {
        String url = url(typeName).orElseThrow(() -> new DataverseFault(ErrorCode.UNSUPPORTED_WORKFLOW_STEP,
                "Invalid custom activity: no call-out is registered for '" + typeName + "'."));
        String body;
        try {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("inputs", inputs);
            payload.put("context", context);
            body = JSON.writeValueAsString(JsonValues.plain(payload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException | ConnectException e) {
            throw new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "An error occurred while accessing the network: " + e.getMessage());
        } catch (IOException e) {
            throw new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "An error occurred while accessing the network: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "Interrupted");
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                JsonNode n = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
                n.fields().forEachRemaining(f -> out.put(f.getKey(), JsonValues.value(f.getValue())));
            } catch (IOException e) {
                throw new HttpCallFailure(HttpCallFailure.Kind.HTTP, "The custom activity answered with something that is not JSON.");
            }
            return out;
        }
        if (status == 400) {
            String message = "ISV code aborted the operation.";
            try {
                message = JSON.readTree(r.body()).path("message").asText(message);
            } catch (IOException ignored) {
                // keep the default message
            }
            throw new DataverseFault(ErrorCode.ISV_ABORTED, message);
        }
        throw new HttpCallFailure(status == 401 ? HttpCallFailure.Kind.UNAUTHORIZED : HttpCallFailure.Kind.HTTP,
                "The custom activity '" + typeName + "' answered HTTP " + status + ".");
    }

}
