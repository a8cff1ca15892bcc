package dev.dve.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Entra-compatible token endpoint: each grant for the default principals, its errors, discovery and keys. */
class TokenEndpointTest extends EmulatorTest {
    private static final String TENANT = "00000000-0000-0000-0000-000000000001";

    private String whoAmI(String token) {
        Response r = anonymous.withToken(token).get("WhoAmI");
        assertEquals(200, r.status(), r.body());
        return r.json().path("UserId").asText();
    }

    @Test
    void clientCredentialsForTheApplicationUser() {
        Response r = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", server.baseUrl() + "/.default"));
        assertEquals(200, r.status(), r.body());
        JsonNode t = r.json();
        assertEquals("Bearer", t.path("token_type").asText());
        assertTrue(t.path("expires_in").asInt() > 3000);
        assertEquals("00000000-0000-0000-0000-000000000101", whoAmI(t.path("access_token").asText()));
    }

    @Test
    void passwordGrantForEachDefaultUser() {
        String[][] users = {{"admin@emulator.local", "102"}, {"maker@emulator.local", "103"}, {"runner@emulator.local", "104"}, {"basic@emulator.local", "105"}};
        for (String[] u : users) {
            Response r = anonymous.postForm("/emulator/oauth2/v2.0/token", WebApi.form("grant_type", "password", "client_id",
                    "51f81489-12ee-4a9e-aaae-a2591f45987d", "username", u[0], "password", "Passw0rd!", "scope", server.baseUrl() + "/user_impersonation openid offline_access"));
            assertEquals(200, r.status(), u[0] + ": " + r.body());
            assertNotNull(r.json().path("id_token").textValue(), "id_token for openid");
            assertNotNull(r.json().path("client_info").textValue(), "client_info for MSAL");
            assertEquals("00000000-0000-0000-0000-000000000" + u[1], whoAmI(r.json().path("access_token").asText()));

            Response refreshed = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "refresh_token",
                    "client_id", "51f81489-12ee-4a9e-aaae-a2591f45987d", "refresh_token", r.json().path("refresh_token").asText(),
                    "scope", server.baseUrl() + "/user_impersonation"));
            assertEquals(200, refreshed.status(), refreshed.body());
            assertEquals("00000000-0000-0000-0000-000000000" + u[1], whoAmI(refreshed.json().path("access_token").asText()));
        }
    }

    @Test
    void v1EndpointWithResource() {
        Response r = anonymous.postForm("/" + TENANT + "/oauth2/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "resource", server.baseUrl()));
        assertEquals(200, r.status(), r.body());
        assertEquals(server.baseUrl(), r.json().path("resource").asText());
        assertTrue(r.json().path("expires_on").isTextual());
        assertEquals("00000000-0000-0000-0000-000000000101", whoAmI(r.json().path("access_token").asText()));
    }

    @Test
    void grantErrorsInEntrasShape() {
        Response badSecret = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", "wrong", "scope", server.baseUrl() + "/.default"));
        assertEquals(401, badSecret.status());
        assertEquals("invalid_client", badSecret.json().path("error").asText());
        assertTrue(badSecret.json().path("error_description").asText().startsWith("AADSTS7000215"));

        Response unknownClient = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", "00000000-0000-0000-0000-00000000dead", "client_secret", "x", "scope", server.baseUrl() + "/.default"));
        assertEquals(400, unknownClient.status());
        assertEquals("unauthorized_client", unknownClient.json().path("error").asText());

        Response badPassword = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "nope", "scope", server.baseUrl() + "/.default"));
        assertEquals(400, badPassword.status());
        assertEquals("invalid_grant", badPassword.json().path("error").asText());
        assertTrue(badPassword.json().path("error_description").asText().startsWith("AADSTS50126"));

        Response badGrant = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "device_code"));
        assertEquals("unsupported_grant_type", badGrant.json().path("error").asText());

        Response otherResource = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", "https://graph.microsoft.com/.default"));
        assertEquals("invalid_resource", otherResource.json().path("error").asText());

        Response unknownTenant = anonymous.postForm("/contoso.onmicrosoft.com/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials"));
        assertEquals(404, unknownTenant.status());
    }

    @Test
    void usersAddedLaterSignInWithTheDefaultPasswordOrAnAdminSetOne() {
        String body = "{\"firstname\":\"Nia\",\"lastname\":\"New\",\"domainname\":\"nia@emulator.local\",\"azureactivedirectoryobjectid\":\"00000000-0000-0000-0000-0000000a0999\","
                + "\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}";
        String id = api.post("systemusers", body, "Prefer", "return=representation").json().path("systemuserid").asText();
        assertEquals(id, whoAmI(anonymous.passwordToken("nia@emulator.local", "Passw0rd!")));
        assertEquals(200, anonymous.post("/admin/credentials", "{\"username\":\"nia@emulator.local\",\"password\":\"S3cret!\"}").status());
        assertEquals(id, whoAmI(anonymous.passwordToken("nia@emulator.local", "S3cret!")));
        Response old = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "nia@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/.default"));
        assertEquals(400, old.status(), "the old password no longer works");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefusedWhenNoTestSecretIsConfigured() throws Exception {
        JsonNode k = anonymous.get("/" + TENANT + "/discovery/v2.0/keys").json().path("keys").get(0);
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText()))));
        String confused = Jwts.builder().header().keyId(k.path("kid").asText()).and()
                .audience().add(server.baseUrl()).and().issuer(server.baseUrl() + "/" + TENANT + "/v2.0")
                .claim("tid", TENANT).claim("oid", "00000000-0000-0000-0000-0000000a0102")
                .expiration(new java.util.Date(System.currentTimeMillis() + 600_000))
                .signWith(io.jsonwebtoken.security.Keys.hmacShaKeyFor(pub.getEncoded()), Jwts.SIG.HS256).compact();
        Response r = anonymous.withToken(confused).get("WhoAmI");
        assertEquals(401, r.status(), r.body());
    }

    @Test
    void discoveryDocumentsAndKeysVerifyIssuedTokens() throws Exception {
        JsonNode config = anonymous.get("/" + TENANT + "/v2.0/.well-known/openid-configuration").json();
        assertEquals(server.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token", config.path("token_endpoint").asText());
        assertEquals(server.baseUrl() + "/" + TENANT + "/v2.0", config.path("issuer").asText());
        JsonNode keys = anonymous.get(config.path("jwks_uri").asText()).json().path("keys");
        assertEquals(1, keys.size());
        JsonNode k = keys.get(0);
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(k.path("e").asText()))));
        String token = anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET);
        Claims c = Jwts.parser().verifyWith(pub).build().parseSignedClaims(token).getPayload();
        assertEquals(TENANT, c.get("tid"));
        assertEquals(APP_CLIENT_ID, c.get("appid"));
        assertTrue(c.getAudience().contains(server.baseUrl()));
        assertEquals(server.baseUrl() + "/" + TENANT + "/v2.0", c.getIssuer());
    }

    private Response tokenRequest(String form, String... headers) {
        String[] h = new String[headers.length + 2];
        h[0] = "Content-Type";
        h[1] = "application/x-www-form-urlencoded";
        System.arraycopy(headers, 0, h, 2, headers.length);
        return anonymous.send("POST", "/" + TENANT + "/oauth2/v2.0/token", form, h);
    }

    private static void assertEntraError(Response r, int status, String error, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        assertEquals(error, r.json().path("error").asText(), r.body());
        assertTrue(r.json().path("error_description").asText().startsWith(code), r.body());
    }

    @Test
    void theHostHeaderDoesNotChooseTheOrganization() {
        Response evil = tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET,
                "scope", "http://evil.example/.default"), "Host", "evil.example");
        assertEntraError(evil, 400, "invalid_resource", "AADSTS500011");
        Response v1 = anonymous.send("POST", "/" + TENANT + "/oauth2/token", WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", APP_SECRET, "resource", "http://evil.example"), "Content-Type", "application/x-www-form-urlencoded", "Host", "evil.example");
        assertEntraError(v1, 400, "invalid_resource", "AADSTS500011");

        // asked through a forged Host for the real organization, the token still names the organization
        Response ours = tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET,
                "scope", server.baseUrl() + "/.default"), "Host", "evil.example");
        assertEquals(200, ours.status(), ours.body());
        String token = ours.json().path("access_token").asText();
        assertEquals("00000000-0000-0000-0000-000000000101", whoAmI(token));
        JsonNode config = anonymous.get("/" + TENANT + "/v2.0/.well-known/openid-configuration", "Host", "evil.example").json();
        assertEquals(server.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token", config.path("token_endpoint").asText());
    }

    @Test
    void loopbackAliasesOfTheOrganizationAreAccepted() {
        String port = String.valueOf(server.port());
        for (String alias : new String[]{"http://127.0.0.1:" + port, "http://[::1]:" + port, "HTTP://LOCALHOST:" + port + "/"}) {
            Response r = tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET,
                    "scope", alias + "/.default"));
            assertEquals(200, r.status(), alias + ": " + r.body());
            assertEquals("00000000-0000-0000-0000-000000000101", whoAmI(r.json().path("access_token").asText()));
        }
        for (String other : new String[]{"http://localhost:1", "https://localhost:" + port + "@evil.example", "http://localhost." + port}) {
            Response r = tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET,
                    "scope", other + "/.default"));
            assertEntraError(r, 400, "invalid_resource", "AADSTS500011");
        }
    }

    @Test
    void aDisabledUserGetsNoNewToken() {
        Response signedIn = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/user_impersonation offline_access"));
        assertEquals(200, signedIn.status(), signedIn.body());
        assertEquals(204, api.patch("systemusers(00000000-0000-0000-0000-000000000105)", "{\"isdisabled\":true}").status());

        Response password = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/.default"));
        assertEntraError(password, 400, "invalid_grant", "AADSTS50057");
        Response refresh = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "refresh_token",
                "refresh_token", signedIn.json().path("refresh_token").asText(), "scope", server.baseUrl() + "/user_impersonation"));
        assertEntraError(refresh, 400, "invalid_grant", "AADSTS50057");
        Response v1 = anonymous.postForm("/" + TENANT + "/oauth2/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "Passw0rd!", "resource", server.baseUrl()));
        assertEntraError(v1, 400, "invalid_grant", "AADSTS50057");
        // a wrong password to a disabled account says nothing about the account
        Response wrong = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "nope", "scope", server.baseUrl() + "/.default"));
        assertEntraError(wrong, 400, "invalid_grant", "AADSTS50126");

        assertEquals(204, api.patch("systemusers(00000000-0000-0000-0000-000000000105)", "{\"isdisabled\":false}").status());
        assertEquals("00000000-0000-0000-0000-000000000105", whoAmI(anonymous.passwordToken("basic@emulator.local", "Passw0rd!")));
    }

    private Response passwordGrant(String user, String password) {
        return anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", user, "password", password, "scope", server.baseUrl() + "/.default"));
    }

    private Response clientCredentials(String secret) {
        return anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", secret, "scope", server.baseUrl() + "/.default"));
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountForAMinute() {
        for (int i = 1; i <= 10; i++) {
            assertEntraError(passwordGrant("basic@emulator.local", "guess-" + i), 400, "invalid_grant", "AADSTS50126");
        }
        assertEntraError(passwordGrant("basic@emulator.local", "Passw0rd!"), 400, "invalid_grant", "AADSTS50053");
        assertEquals("00000000-0000-0000-0000-000000000104", whoAmI(anonymous.passwordToken("runner@emulator.local", "Passw0rd!")),
                "another user is not locked out");

        assertEquals(200, anonymous.post("/admin/clock", "{\"advance\":\"PT30S\"}").status());
        assertEntraError(passwordGrant("basic@emulator.local", "Passw0rd!"), 400, "invalid_grant", "AADSTS50053");
        assertEquals(200, anonymous.post("/admin/clock", "{\"advance\":\"PT31S\"}").status());
        assertEquals("00000000-0000-0000-0000-000000000105", whoAmI(anonymous.passwordToken("basic@emulator.local", "Passw0rd!")),
                "the right password works once the lockout is over");
        // the success started the count afresh: nine more failures do not lock
        for (int i = 1; i <= 9; i++) {
            assertEntraError(passwordGrant("basic@emulator.local", "again-" + i), 400, "invalid_grant", "AADSTS50126");
        }
        assertEquals(200, passwordGrant("basic@emulator.local", "Passw0rd!").status());
    }

    @Test
    void aLockoutHoldsOnEveryNodeOfTheDatabase() throws Exception {
        dev.dve.store.DatabaseConfig db = server.runtime().config().database();
        try (dev.dve.server.EmulatorServer other = new dev.dve.server.EmulatorServer(dev.dve.server.EmulatorConfig.embedded()
                .withDatabase(db.jdbcUrl(), db.user(), db.password()).withNodeId("other")).start()) {
            WebApi b = new WebApi(other.baseUrl());
            for (int i = 1; i <= 10; i++) {
                WebApi node = i % 2 == 0 ? anonymous : b;
                Response r = node.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                        "username", "maker@emulator.local", "password", "guess-" + i, "scope", node.base() + "/.default"));
                assertEntraError(r, 400, "invalid_grant", "AADSTS50126");
            }
            Response onB = b.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                    "username", "maker@emulator.local", "password", "Passw0rd!", "scope", b.base() + "/.default"));
            assertEntraError(onB, 400, "invalid_grant", "AADSTS50053");
            assertEntraError(passwordGrant("maker@emulator.local", "Passw0rd!"), 400, "invalid_grant", "AADSTS50053");
        }
    }

    @Test
    void repeatedWrongClientSecretsLockTheApplicationForAMinute() {
        for (int i = 1; i <= 10; i++) {
            assertEntraError(clientCredentials("guess-" + i), 401, "invalid_client", "AADSTS7000215");
        }
        assertEntraError(clientCredentials(APP_SECRET), 400, "invalid_grant", "AADSTS50053");
        assertEquals(200, api.get("WhoAmI").status(), "tokens issued before still work");
        assertEquals(200, anonymous.post("/admin/clock", "{\"advance\":\"PT61S\"}").status());
        Response after = clientCredentials(APP_SECRET);
        assertEquals(200, after.status(), after.body());
        assertEquals("00000000-0000-0000-0000-000000000101", whoAmI(after.json().path("access_token").asText()));
    }

    @Test
    void malformedTokenRequestsAnswerEntraErrorsNotServerErrors() {
        String ok = WebApi.form("grant_type", "client_credentials", "scope", server.baseUrl() + "/.default");
        assertEntraError(tokenRequest(ok, "Authorization", "Basic !!!!"), 401, "invalid_client", "AADSTS");
        assertEntraError(tokenRequest(ok, "Authorization", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())), 401, "invalid_client", "AADSTS");
        Response basic = tokenRequest(ok, "Authorization", "Basic " + Base64.getEncoder().encodeToString((APP_CLIENT_ID + ":" + APP_SECRET).getBytes()));
        assertEquals(200, basic.status(), "well-formed Basic credentials work: " + basic.body());

        assertEntraError(tokenRequest("grant_type=%zz&client_id=%%"), 400, "invalid_request", "AADSTS");
        assertEntraError(tokenRequest("grant_type=client_credentials&grant_type=password"), 400, "invalid_request", "AADSTS");
        assertEntraError(anonymous.send("POST", "/" + TENANT + "/oauth2/v2.0/token", "{\"grant_type\":\"client_credentials\"}"), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(""), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")), 400, "unsupported_grant_type", "AADSTS70003");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "client_credentials")), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID)), 401, "invalid_client", "AADSTS7000218");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "password")), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "password", "username", "basic@emulator.local")), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "refresh_token")), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "refresh_token", "refresh_token", "!!!")), 400, "invalid_grant", "AADSTS9002313");
        assertEntraError(anonymous.postForm("/" + TENANT + "/oauth2/token", WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID,
                "client_secret", APP_SECRET)), 400, "invalid_request", "AADSTS900144");
        assertEntraError(tokenRequest(WebApi.form("grant_type", "client_credentials", "client_id", "not-a-guid", "client_secret", "x")), 400, "unauthorized_client", "AADSTS700016");
        assertEntraError(tokenRequest("x".repeat(300_000)), 400, "invalid_request", "AADSTS");
    }

    @Test
    void theGrantIsReadFromTheFormBodyNotTheQueryString() {
        // MSAL sends client-request-id (and its telemetry) in the query string and client-request-id again in the body
        String query = "?client-request-id=6c2e9f3a-0000-4000-8000-000000000001&x-client-SKU=msal.js.node";
        Response r = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token" + query, WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", server.baseUrl() + "/.default",
                "client-request-id", "6c2e9f3a-0000-4000-8000-000000000001"));
        assertEquals(200, r.status(), r.body());

        // a secret in the query string is no secret given: the body has none
        Response inQuery = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token?client_secret=" + APP_SECRET, WebApi.form(
                "grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "scope", server.baseUrl() + "/.default"));
        assertEntraError(inQuery, 401, "invalid_client", "AADSTS7000218");

        // twice in the body is still refused
        Response twice = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", server.baseUrl() + "/.default", "scope", server.baseUrl() + "/.default"));
        assertEntraError(twice, 400, "invalid_request", "AADSTS90023");
    }
}
