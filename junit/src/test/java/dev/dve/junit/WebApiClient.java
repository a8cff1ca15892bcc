package dev.dve.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The extension's tests' Web API client: one bearer token, paths relative to the Web API root. */
final class WebApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String webApiUrl;
    private final String token;

    WebApiClient(String webApiUrl, String token) {
        this.webApiUrl = webApiUrl;
        this.token = token;
    }

    WebApiClient(DataverseEmulatorRuntime dve, String token) {
        this(dve.webApiUrl(), token);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response patch(String path, String body) {
        return send("PATCH", path, body);
    }

    /** Creates an account by name; answers its row. */
    JsonNode createAccount(String name) {
        Response r = post("accounts", JSON.createObjectNode().put("name", name).toString());
        if (r.status() != 201) {
            throw new AssertionError("create account: " + r);
        }
        return r.json();
    }

    /** Creates a workflow on accounts from a sample of the fixtures module; answers the create's response. */
    Response createWorkflow(String name, String sample, int mode, boolean onCreate) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("name", name).put("category", 0).put("type", 1).put("scope", 4)
                .put("primaryentity", "account").put("mode", mode).put("triggeroncreate", onCreate).put("xaml", sampleXaml(sample));
        if (mode == 1) {
            // a real-time workflow runs at a stage: post-operation
            body.put("createstage", 40);
        }
        return post("workflows", body.toString());
    }

    Response activate(String workflowId) {
        return patch("workflows(" + workflowId + ")", "{\"statecode\":1,\"statuscode\":2}");
    }

    /** Creates and activates a background workflow on account create; answers its id. */
    String activeBackgroundWorkflow(String name, String sample) {
        Response created = createWorkflow(name, sample, 0, true);
        if (created.status() != 201) {
            throw new AssertionError("create workflow: " + created);
        }
        String id = created.json().path("workflowid").asText();
        Response activated = activate(id);
        if (activated.status() != 204) {
            throw new AssertionError("activate workflow: " + activated);
        }
        return id;
    }

    static String sampleXaml(String sample) {
        try (InputStream in = WebApiClient.class.getClassLoader().getResourceAsStream("samples/workflows/" + sample)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + sample);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : webApiUrl + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json").header("OData-Version", "4.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (method.equals("POST")) {
            b.header("Prefer", "return=representation");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return execute(b.build());
    }

    /** Posts a form to the token endpoint without any cache: answers the endpoint's status and body. */
    static Response tokenRequest(DataverseEmulatorRuntime dve, String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return execute(HttpRequest.newBuilder(URI.create(dve.tokenEndpoint())).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    private static Response execute(HttpRequest request) {
        try {
            HttpResponse<String> r;
            try {
                r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                if (!String.valueOf(closed.getMessage()).contains("received no bytes")) {
                    throw closed;
                }
                r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
        }
    }
}
