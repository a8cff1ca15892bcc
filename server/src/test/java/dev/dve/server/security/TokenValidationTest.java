package dev.dve.server.security;

import dev.dve.auth.token.TokenService;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every token that must be refused is refused with a 401 and the challenge clients read the authority from. */
class TokenValidationTest extends EmulatorTest {
    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    private static final String TENANT = "00000000-0000-0000-0000-000000000001";
    private static final String BASIC_OID = "00000000-0000-0000-0000-0000000a0105";

    @Override
    protected EmulatorConfig config() {
        return super.config().withTokenTestSecret(SECRET);
    }

    private Map<String, Object> claims() {
        Map<String, Object> c = new HashMap<>();
        c.put("aud", server.baseUrl());
        c.put("iss", server.baseUrl() + "/" + TENANT + "/v2.0");
        c.put("tid", TENANT);
        c.put("oid", BASIC_OID);
        return c;
    }

    private void assertRefused(String token, String why) {
        Response r = anonymous.withToken(token).get("WhoAmI");
        assertEquals(401, r.status(), why + ": " + r.body());
        String challenge = r.header("WWW-Authenticate");
        assertTrue(challenge != null && challenge.startsWith("Bearer authorization_uri=" + server.baseUrl() + "/" + TENANT + "/oauth2/authorize"), why + ": " + challenge);
        assertTrue(challenge.contains("resource_id=" + server.baseUrl()), challenge);
        assertTrue(r.errorCode().startsWith("0x"), r.body());
    }

    @Test
    void testMintedTokensWork() {
        Response r = anonymous.withToken(TokenService.mintForTests(SECRET, claims(), Duration.ofMinutes(5))).get("WhoAmI");
        assertEquals(200, r.status(), r.body());
        assertEquals("00000000-0000-0000-0000-000000000105", r.json().path("UserId").asText());
    }

    @Test
    void missingAndMalformedTokens() {
        assertRefused(null, "no token");
        assertRefused("not.a.jwt", "garbage");
        assertRefused("", "empty");
    }

    @Test
    void expiredAndNotYetValid() {
        String expired = Jwts.builder().claims(claims()).issuedAt(Date.from(Instant.now().minusSeconds(7200)))
                .expiration(Date.from(Instant.now().minusSeconds(3600)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
        assertRefused(expired, "expired");
        String future = Jwts.builder().claims(claims()).notBefore(Date.from(Instant.now().plusSeconds(3600)))
                .expiration(Date.from(Instant.now().plusSeconds(7200)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
        assertRefused(future, "not yet valid");
        Map<String, Object> noExp = claims();
        assertRefused(Jwts.builder().claims(noExp).signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact(), "no expiry");
    }

    @Test
    void wrongAudienceAndIssuer() {
        Map<String, Object> aud = claims();
        aud.put("aud", "https://contoso.crm.dynamics.com");
        assertRefused(TokenService.mintForTests(SECRET, aud, Duration.ofMinutes(5)), "wrong audience");
        Map<String, Object> iss = claims();
        iss.put("iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0");
        assertRefused(TokenService.mintForTests(SECRET, iss, Duration.ofMinutes(5)), "wrong issuer");
    }

    @Test
    void tamperedPayloadAndAlgNone() {
        String good = anonymous.passwordToken("basic@emulator.local", "Passw0rd!");
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(BASIC_OID, "00000000-0000-0000-0000-0000000a0102");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefused(tampered, "tampered payload");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        assertRefused(none, "alg none");
    }

    @Test
    void unknownSigningKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair other = g.generateKeyPair();
        String foreign = Jwts.builder().claims(claims()).expiration(Date.from(Instant.now().plusSeconds(600)))
                .signWith(other.getPrivate(), Jwts.SIG.RS256).compact();
        assertRefused(foreign, "unknown key without kid");
        String withKid = Jwts.builder().header().keyId("someone-else").and().claims(claims()).expiration(Date.from(Instant.now().plusSeconds(600)))
                .signWith(other.getPrivate(), Jwts.SIG.RS256).compact();
        assertRefused(withKid, "unknown kid");
        String wrongSecret = TokenService.mintForTests("another-secret-entirely-different-and-long", claims(), Duration.ofMinutes(5));
        assertRefused(wrongSecret, "HS256 with another secret");
    }

    @Test
    void disabledAndUnknownUsersAreRefused() {
        Map<String, Object> stranger = claims();
        stranger.put("oid", "00000000-0000-0000-0000-00000000beef");
        Response r = anonymous.withToken(TokenService.mintForTests(SECRET, stranger, Duration.ofMinutes(5))).get("WhoAmI");
        assertEquals(403, r.status(), r.body());
        assertEquals("The user is not a member of the organization.", r.errorMessage());

        String basic = anonymous.passwordToken("basic@emulator.local", "Passw0rd!");
        assertEquals(204, api.patch("systemusers(00000000-0000-0000-0000-000000000105)", "{\"isdisabled\":true}").status());
        Response disabled = anonymous.withToken(basic).get("WhoAmI");
        assertEquals(400, disabled.status(), disabled.body());
        assertTrue(disabled.errorMessage().contains("is disabled"), disabled.body());
        assertEquals(400, anonymous.withToken(basic).post("accounts", "{\"name\":\"x\"}").status());
        assertEquals(3, api.get("accounts?$count=true").json().path("@odata.count").asInt(), "nothing written");
    }

    @Test
    void theHostHeaderDoesNotWidenTheAcceptedAudience() {
        // signed with the emulator's own key, for the organization a forged Host header names
        TokenService.Subject basic = new TokenService.Subject(java.util.UUID.fromString(BASIC_OID), null, "basic@emulator.local", "Basic");
        String evil = server.runtime().tokens().issue(basic, "http://evil.example", TokenService.issuerV2("http://evil.example"), false);
        Response r = anonymous.withToken(evil).get("WhoAmI", "Host", "evil.example");
        assertEquals(401, r.status(), r.body());
        assertTrue(r.header("WWW-Authenticate").startsWith("Bearer authorization_uri=" + server.baseUrl() + "/"), r.header("WWW-Authenticate"));
        String ours = server.runtime().tokens().issue(basic, server.baseUrl(), TokenService.issuerV2(server.baseUrl()), false);
        assertEquals(200, anonymous.withToken(ours).get("WhoAmI", "Host", "evil.example").status(), "the organization's token works whatever the Host");
        String aliased = server.runtime().tokens().issue(basic, "http://127.0.0.1:" + server.port(), TokenService.issuerV2("http://127.0.0.1:" + server.port()), false);
        assertEquals(200, anonymous.withToken(aliased).get("WhoAmI").status(), "a loopback alias of the organization is accepted");
    }

    @Test
    void refusalsGiveAShortReasonAndNeverTheLibrarysDetail() throws Exception {
        String n = anonymous.get("/" + TENANT + "/discovery/v2.0/keys").json().path("keys").get(0).path("n").asText();
        String payload = b64("{\"aud\":\"" + server.baseUrl() + "\",\"oid\":\"" + BASIC_OID + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
        String[] headers = {
                "{\"alg\":\"RS256\",\"kid\":\"<kid-echo>\"}",
                "{\"alg\":\"HS384\",\"kid\":\"<alg-echo>\"}",
                "{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"" + n + "\",\"e\":\"AQAB\"}}",
                "{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"" + n.substring(0, 40) + "\",\"e\":\"!!\"}}",
                "{\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + n.substring(0, 43) + "\",\"y\":\"" + n.substring(43, 86) + "\"}}",
                "{\"alg\":\"RS256\",\"zip\":\"DEF\",\"crit\":[\"<crit-echo>\"],\"<crit-echo>\":1}",
                "not json <header-echo>",
        };
        for (String h : headers) {
            String token = b64(h) + "." + payload + "." + b64("signature <sig-echo>");
            Response r = anonymous.withToken(token).get("WhoAmI");
            assertEquals(401, r.status(), h + ": " + r.body());
            String message = r.errorMessage();
            assertTrue(message.length() <= 80, h + " -> " + message);
            for (String leak : new String[]{"echo", n.substring(0, 20), "modulus", "Exception", "jsonwebtoken", "RSA", "{", "'"}) {
                assertTrue(!message.contains(leak), h + " -> " + message + " (contains " + leak + ")");
            }
            assertTrue(!r.header("WWW-Authenticate").contains("echo"), r.header("WWW-Authenticate"));
        }
        Map<String, Object> wrongAudience = claims();
        wrongAudience.put("aud", "https://<aud-echo>.example");
        Response r = anonymous.withToken(TokenService.mintForTests(SECRET, wrongAudience, Duration.ofMinutes(5))).get("WhoAmI");
        assertEquals(401, r.status());
        assertTrue(!r.errorMessage().contains("echo"), r.errorMessage());
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
