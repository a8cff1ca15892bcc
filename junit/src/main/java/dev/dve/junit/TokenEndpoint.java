package dev.dve.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's Entra-compatible token endpoint, asked the way a client asks it, with the tokens kept until a few
 * minutes before they expire (tokens age by real time, not by the emulator clock, and outlive a reset).
 */
final class TokenEndpoint {
    /** A public client id, as the Dataverse samples' password-grant clients send. */
    private static final String PUBLIC_CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String tokenUrl;
    private final String organizationUrl;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    private record Issued(String token, Instant renewAfter) {
    }

    TokenEndpoint(String baseUrl, String organizationUrl) {
        this.tokenUrl = baseUrl + "/" + FixturePrincipals.TENANT_ID + "/oauth2/v2.0/token";
        this.organizationUrl = organizationUrl;
    }

    String url() {
        return tokenUrl;
    }

    String password(String userName, String password) {
        return cached("user " + userName + "\n" + password, () -> form("grant_type", "password", "client_id", PUBLIC_CLIENT_ID,
                "username", userName, "password", password, "scope", organizationUrl + "/user_impersonation openid offline_access"));
    }

    String clientCredentials(String clientId, String secret) {
        return cached("app " + clientId + "\n" + secret, () -> form("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret, "scope", organizationUrl + "/.default"));
    }

    private String cached(String key, java.util.function.Supplier<String> form) {
        Issued known = issued.get(key);
        if (known != null && Instant.now().isBefore(known.renewAfter())) {
            return known.token();
        }
        Issued fresh = request(form.get());
        issued.put(key, fresh);
        return fresh.token();
    }

    private Issued request(String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach the token endpoint " + tokenUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted asking " + tokenUrl + " for a token", e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("The token endpoint answered " + r.statusCode() + " without JSON: " + r.body(), e);
        }
        if (r.statusCode() != 200 || !answer.hasNonNull("access_token")) {
            throw new IllegalStateException("The token endpoint refused: " + r.statusCode() + " " + answer.path("error_description").asText(r.body()));
        }
        long seconds = answer.path("expires_in").asLong(3600);
        return new Issued(answer.get("access_token").asText(), Instant.now().plusSeconds(Math.max(0, seconds - 300)));
    }

    private static String form(String... pairs) {
        StringJoiner j = new StringJoiner("&");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            j.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return j.toString();
    }
}
