package dev.dve.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for tests, speaking to one emulator the way a Web API client does. */
public final class WebApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String base;
    private final String token;

    public WebApi(String baseUrl) {
        this(baseUrl, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** A client of the HTTPS port that trusts what the given TLS context trusts (see {@link TrustedCertificate}). */
    public WebApi(String httpsBaseUrl, javax.net.ssl.SSLContext tls) {
        this(httpsBaseUrl, null, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build());
    }

    private WebApi(String baseUrl, String token, HttpClient http) {
        this.base = baseUrl;
        this.token = token;
        this.http = http;
    }

    /** The same client sending {@code Authorization: Bearer <token>} (null sends none). */
    public WebApi withToken(String bearer) {
        return new WebApi(base, bearer, http);
    }

    /** A token from the emulator's token endpoint (v2), by client credentials. */
    public String clientCredentialsToken(String clientId, String secret) {
        return tokenFrom(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret, "scope", base + "/.default"));
    }

    /** A token from the emulator's token endpoint (v2), by the password grant. */
    public String passwordToken(String userName, String password) {
        return tokenFrom(form("grant_type", "password", "client_id", "51f81489-12ee-4a9e-aaae-a2591f45987d", "username", userName,
                "password", password, "scope", base + "/user_impersonation openid offline_access"));
    }

    private String tokenFrom(String form) {
        Response r = postForm("/" + "00000000-0000-0000-0000-000000000001/oauth2/v2.0/token", form);
        if (r.status() != 200) {
            throw new IllegalStateException("token request failed: " + r);
        }
        return r.json().path("access_token").asText();
    }

    public static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(java.net.URLEncoder.encode(pairs[i], java.nio.charset.StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(pairs[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Posts a form (token endpoints). */
    public Response postForm(String path, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        return execute(b);
    }

    public String base() {
        return base;
    }

    public String api() {
        return base + "/api/data/v9.2/";
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Response post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Response patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Response put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** {@code POST /admin/async/run-until-idle}: runs every due system job; answers the counts by outcome. */
    public JsonNode runUntilIdle() {
        Response r = post("/admin/async/run-until-idle", "{}");
        if (r.status() != 200) {
            throw new IllegalStateException("run-until-idle: " + r);
        }
        return r.json();
    }

    /** Moves the emulator clock: {@code {"freeze":true,"set":at}} when {@code at} is given, then {@code {"advance":by}} when given. */
    public void clock(String at, String by) {
        String body = at != null ? "{\"freeze\":true,\"set\":\"" + at + "\"}" : "{\"advance\":\"" + by + "\"}";
        Response r = post("/admin/clock", body);
        if (r.status() != 200) {
            throw new IllegalStateException("clock: " + r);
        }
        if (at != null && by != null) {
            clock(null, by);
        }
    }

    /** Creates an account by name; answers its id. */
    public String createAccount(String name) {
        Response r = post("accounts", "{\"name\":\"" + name + "\"}", "Prefer", "return=representation");
        if (r.status() != 201) {
            throw new IllegalStateException("create account: " + r);
        }
        return r.json().path("accountid").asText();
    }

    /** Sends a request; a path not starting with "/" or "http" is relative to {@code /api/data/v9.2/}. */
    public Response send(String method, String path, String body, String... headers) {
        String url = path.startsWith("http") ? path : path.startsWith("/") ? base + path : api() + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return execute(b);
    }

    private Response execute(HttpRequest.Builder b) {
        HttpRequest request = b.build();
        try {
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                // the JDK client may reuse a kept-alive connection the server had just closed after an error answer, and
                // it retries only GETs: a request that got no byte back was never answered, so it goes once more
                if (!String.valueOf(closed.getMessage()).contains("received no bytes")) {
                    throw closed;
                }
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer: status, headers and body. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + body, e);
            }
        }

        public String header(String name) {
            for (Map.Entry<String, java.util.List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }

        /** Fails the test unless the answer has this status (the body goes in the message); answers itself for chaining. */
        public Response expect(int status) {
            org.junit.jupiter.api.Assertions.assertEquals(status, this.status, () -> "expected " + status + ", got " + this);
            return this;
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        public String errorMessage() {
            return json().path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
