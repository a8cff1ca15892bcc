package dev.dve.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.auth.token.TokenService;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import io.jsonwebtoken.security.SecureRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R4: tokens an attacker can forge, each sent to {@code GET WhoAmI} and {@code POST accounts}. Every one must be
 * refused — 401 with the {@code WWW-Authenticate: Bearer authorization_uri=…} challenge (a disabled user's token: the
 * Dataverse fault for disabled users) — and no row may be written. A test secret is configured, so the HS256 path of
 * the validator is open: the key-confusion tokens meet a validator that does accept some HMAC tokens. Each category
 * prints one line ({@code R4 alg-none: 12 tokens, 12 refused}) for {@code docs/reliability.md}.
 */
class TokenAttackTest extends EmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = TokenService.TENANT_ID;
    private static final String TEST_SECRET = "r4-test-secret-long-enough-for-hmac-sha-256";
    private static final String ADMIN_OID = "00000000-0000-0000-0000-0000000a0102";
    private static final String BASIC_OID = "00000000-0000-0000-0000-0000000a0105";
    private static final String BASIC_ID = "00000000-0000-0000-0000-000000000105";
    private String kid;
    private RSAPublicKey publicKey;
    private String jwksBody;
    private JsonNode jwk;
    private int accountsBefore;

    @Override
    protected EmulatorConfig config() {
        return super.config().withTokenTestSecret(TEST_SECRET);
    }

    @BeforeEach
    void readTheKeys() throws Exception {
        Response keys = anonymous.get("/" + TENANT + "/discovery/v2.0/keys");
        assertEquals(200, keys.status(), keys.body());
        jwksBody = keys.body();
        jwk = keys.json().path("keys").get(0);
        kid = jwk.path("kid").asText();
        publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()))));
        accountsBefore = accounts();
        // the harness is sound: a token built here the way the emulator builds them is accepted
        Response control = anonymous.withToken(signed(claims(ADMIN_OID), kid, realKey(), Jwts.SIG.RS256)).get("WhoAmI");
        assertEquals(200, control.status(), "control token: " + control.body());
    }

    // ---- the categories

    @Test
    void algNone() throws Exception {
        Attempts a = new Attempts("alg-none");
        String payload = b64(JSON.writeValueAsBytes(claims(ADMIN_OID)));
        String realSignature = signed(claims(ADMIN_OID), kid, realKey(), Jwts.SIG.RS256).split("\\.")[2];
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            String header = b64(("{\"alg\":\"" + none + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
            a.token(none + " with an empty signature", header + "." + payload + ".");
            a.token(none + " without a signature part", header + "." + payload);
            a.token(none + " with a real signature", header + "." + payload + "." + realSignature);
        }
        a.verify();
    }

    @Test
    void hmacSignedWithThePublicKey() throws Exception {
        Attempts a = new Attempts("hmac-public-key");
        byte[] der = publicKey.getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        byte[] modulus = unsigned(publicKey.getModulus());
        Map<String, byte[]> encodings = new LinkedHashMap<>();
        encodings.put("PEM text", utf8(pem));
        encodings.put("PEM text without the last newline", utf8(pem.trim()));
        encodings.put("PEM text with CRLF", utf8(pem.replace("\n", "\r\n")));
        encodings.put("DER bytes", der);
        encodings.put("base64 of the DER", utf8(Base64.getEncoder().encodeToString(der)));
        encodings.put("JWKS JSON", utf8(jwksBody));
        encodings.put("JWK JSON", JSON.writeValueAsBytes(jwk));
        encodings.put("modulus bytes", modulus);
        encodings.put("modulus with sign byte", publicKey.getModulus().toByteArray());
        encodings.put("base64url of the modulus (n)", utf8(jwk.path("n").asText()));
        encodings.put("base64 of the modulus", utf8(Base64.getEncoder().encodeToString(modulus)));
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            for (Map.Entry<String, byte[]> e : encodings.entrySet()) {
                a.token(alg + " keyed with the " + e.getKey(), hmac(alg, e.getValue(), kid, claims(ADMIN_OID)));
            }
        }
        a.verify();
    }

    @Test
    void otherAlgorithmsAndForeignKeys() throws Exception {
        Attempts a = new Attempts("foreign-key");
        KeyPair rsa = rsaKeyPair();
        KeyPair ec = Jwts.SIG.ES256.keyPair().build();
        KeyPair ed = Jwks.CRV.Ed25519.keyPair().build();
        Map<String, Object> admin = claims(ADMIN_OID);
        a.token("RS384, foreign key, real kid", signed(admin, kid, rsa.getPrivate(), Jwts.SIG.RS384));
        a.token("RS512, foreign key, real kid", signed(admin, kid, rsa.getPrivate(), Jwts.SIG.RS512));
        a.token("PS256, foreign key, real kid", signed(admin, kid, rsa.getPrivate(), Jwts.SIG.PS256));
        a.token("ES256, foreign key, real kid", signed(admin, kid, ec.getPrivate(), Jwts.SIG.ES256));
        a.token("EdDSA, foreign key, real kid", signed(admin, kid, ed.getPrivate(), Jwts.SIG.EdDSA));
        a.token("RS256, foreign key, real kid", signed(admin, kid, rsa.getPrivate(), Jwts.SIG.RS256));
        a.token("RS256, foreign key, real kid, the foreign key embedded as jwk", Jwts.builder().header().keyId(kid)
                .jwk(Jwks.builder().key((RSAPublicKey) rsa.getPublic()).build()).and()
                .claims(admin).signWith(rsa.getPrivate(), Jwts.SIG.RS256).compact());
        a.token("HS256 with a guessed test secret", hmac("HS256", utf8("secret-secret-secret-secret-secret!"), null, admin));
        a.verify();
    }

    @Test
    void tamperedClaims() throws Exception {
        Attempts a = new Attempts("tampered");
        String basic = signed(claims(BASIC_OID), kid, realKey(), Jwts.SIG.RS256);
        String admin = signed(claims(ADMIN_OID), kid, realKey(), Jwts.SIG.RS256);
        String[] p = basic.split("\\.");
        Map<String, Object> asAdmin = claims(BASIC_OID);
        asAdmin.put("oid", ADMIN_OID);
        asAdmin.put("sub", ADMIN_OID);
        a.token("oid swapped to the admin's", p[0] + "." + b64(JSON.writeValueAsBytes(asAdmin)) + "." + p[2]);
        Map<String, Object> longer = claims(BASIC_OID);
        longer.put("exp", Instant.now().plusSeconds(30L * 24 * 3600).getEpochSecond());
        a.token("exp extended by 30 days", p[0] + "." + b64(JSON.writeValueAsBytes(longer)) + "." + p[2]);
        Map<String, Object> application = claims(BASIC_OID);
        application.remove("oid");
        application.put("appid", APP_CLIENT_ID);
        application.put("idtyp", "app");
        a.token("user token turned into the admin application's", p[0] + "." + b64(JSON.writeValueAsBytes(application)) + "." + p[2]);
        a.token("admin's signature on the basic user's payload", p[0] + "." + p[1] + "." + admin.split("\\.")[2]);
        a.token("payload re-encoded with a trailing space", p[0] + "." + b64(utf8(new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8) + " ")) + "." + p[2]);
        a.token("header alg changed to RS512", b64(utf8("{\"kid\":\"" + kid + "\",\"alg\":\"RS512\"}")) + "." + p[1] + "." + p[2]);
        a.token("signature stripped", p[0] + "." + p[1] + ".");
        char c = p[2].charAt(100);
        a.token("one signature character changed", p[0] + "." + p[1] + "." + p[2].substring(0, 100) + (c == 'A' ? 'B' : 'A') + p[2].substring(101));
        a.verify();
    }

    @Test
    void expiredAndNotYetValid() throws Exception {
        Attempts a = new Attempts("expired-or-early");
        long now = Instant.now().getEpochSecond();
        Map<String, Object> expired = claims(ADMIN_OID);
        expired.put("exp", now - 120);
        a.token("expired two minutes ago (skew is one)", signed(expired, kid, realKey(), Jwts.SIG.RS256));
        Map<String, Object> longExpired = claims(ADMIN_OID);
        longExpired.put("iat", now - 7200);
        longExpired.put("nbf", now - 7200);
        longExpired.put("exp", now - 3600);
        a.token("expired an hour ago", signed(longExpired, kid, realKey(), Jwts.SIG.RS256));
        Map<String, Object> early = claims(ADMIN_OID);
        early.put("nbf", now + 120);
        a.token("valid from two minutes from now", signed(early, kid, realKey(), Jwts.SIG.RS256));
        Map<String, Object> tomorrow = claims(ADMIN_OID);
        tomorrow.put("nbf", now + 86_400);
        tomorrow.put("exp", now + 90_000);
        a.token("valid from tomorrow", signed(tomorrow, kid, realKey(), Jwts.SIG.RS256));
        Map<String, Object> forever = claims(ADMIN_OID);
        forever.remove("exp");
        a.token("no expiry", signed(forever, kid, realKey(), Jwts.SIG.RS256));
        Map<String, Object> testExpired = claims(ADMIN_OID);
        testExpired.put("exp", now - 120);
        a.token("test-secret token expired two minutes ago", hmac("HS256", padded(TEST_SECRET), null, testExpired));
        a.verify();
    }

    @Test
    void wrongAudienceIssuerOrTenant() throws Exception {
        Attempts a = new Attempts("wrong-aud-iss-tenant");
        String org = server.baseUrl();
        Object[][] cases = {
                {"audience another organization", "aud", "https://contoso.crm.dynamics.com"},
                {"audience another port on localhost", "aud", "http://localhost:1"},
                {"audience Microsoft Graph", "aud", "https://graph.microsoft.com"},
                {"audience a client id", "aud", TokenService.PUBLIC_CLIENT_ID},
                {"audience list without the organization", "aud", List.of("https://contoso.crm.dynamics.com", "http://evil.example")},
                {"no audience", "aud", null},
                {"issuer Entra's real one", "iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0"},
                {"issuer another tenant under the organization", "iss", org + "/11111111-1111-1111-1111-111111111111/v2.0"},
                {"issuer another host", "iss", TokenService.issuerV2("http://evil.example")},
                {"no issuer", "iss", null},
                {"tenant another one", "tid", "11111111-1111-1111-1111-111111111111"},
        };
        for (Object[] c : cases) {
            Map<String, Object> claims = claims(ADMIN_OID);
            if (c[2] == null) {
                claims.remove((String) c[1]);
            } else {
                claims.put((String) c[1], c[2]);
            }
            a.token(c[0] + " (emulator's key)", signed(claims, kid, realKey(), Jwts.SIG.RS256));
            if (!"tid".equals(c[1])) {
                a.token(c[0] + " (test secret)", hmac("HS256", padded(TEST_SECRET), null, claims));
            }
        }
        a.verify();
    }

    @Test
    void unknownOrMissingKeyId() throws Exception {
        Attempts unknown = new Attempts("unknown-kid");
        KeyPair rsa = rsaKeyPair();
        Map<String, Object> admin = claims(ADMIN_OID);
        unknown.token("emulator's key, unknown kid", signed(admin, "someone-else", realKey(), Jwts.SIG.RS256));
        unknown.token("emulator's key, kid in upper case", signed(admin, kid.toUpperCase(), realKey(), Jwts.SIG.RS256));
        unknown.token("emulator's key, kid with a path", signed(admin, "../../discovery/v2.0/keys/" + kid, realKey(), Jwts.SIG.RS256));
        unknown.token("emulator's key, empty kid", rs256WithHeader("{\"alg\":\"RS256\",\"kid\":\"\"}", admin));
        unknown.token("foreign key, unknown kid", signed(admin, "someone-else", rsa.getPrivate(), Jwts.SIG.RS256));
        unknown.verify();

        Attempts none = new Attempts("no-kid");
        none.token("emulator's key, no kid", signed(admin, null, realKey(), Jwts.SIG.RS256));
        none.token("emulator's key, kid null", rs256WithHeader("{\"alg\":\"RS256\",\"kid\":null}", admin));
        none.token("foreign key, no kid", signed(admin, null, rsa.getPrivate(), Jwts.SIG.RS256));
        none.token("foreign key, RS384, no kid", signed(admin, null, rsa.getPrivate(), Jwts.SIG.RS384));
        none.verify();
    }

    @Test
    void refreshAndIdTokensAreNotAccessTokens() {
        Attempts a = new Attempts("refresh-or-id-token");
        Response v2 = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password", "client_id", TokenService.PUBLIC_CLIENT_ID,
                "username", "admin@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/user_impersonation openid offline_access"));
        assertEquals(200, v2.status(), v2.body());
        a.token("refresh token", v2.json().path("refresh_token").asText());
        a.token("id token", v2.json().path("id_token").asText());
        Response refreshed = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "refresh_token",
                "refresh_token", v2.json().path("refresh_token").asText(), "scope", server.baseUrl() + "/user_impersonation openid"));
        assertEquals(200, refreshed.status(), refreshed.body());
        a.token("refresh token from a refresh", refreshed.json().path("refresh_token").asText());
        Response v1 = anonymous.postForm("/" + TENANT + "/oauth2/token", WebApi.form("grant_type", "password",
                "username", "admin@emulator.local", "password", "Passw0rd!", "resource", server.baseUrl()));
        assertEquals(200, v1.status(), v1.body());
        a.token("v1 id token", v1.json().path("id_token").asText());
        // the id token's audience is the client id: a client id that is the organization URL must not make it an access token
        Response trick = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password", "client_id", server.baseUrl(),
                "username", "admin@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/user_impersonation openid"));
        if (trick.status() == 200) {
            a.token("id token asked for with the organization URL as client id", trick.json().path("id_token").asText());
        } else {
            a.refusedAtIssuance("id token asked for with the organization URL as client id", trick);
        }
        a.verify();
    }

    @Test
    void aDisabledUsersValidToken() throws Exception {
        Attempts a = new Attempts("disabled-user");
        Response signedIn = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "password",
                "username", "basic@emulator.local", "password", "Passw0rd!", "scope", server.baseUrl() + "/user_impersonation offline_access"));
        assertEquals(200, signedIn.status(), signedIn.body());
        Response refreshed = anonymous.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "refresh_token",
                "refresh_token", signedIn.json().path("refresh_token").asText(), "scope", server.baseUrl() + "/user_impersonation"));
        assertEquals(200, refreshed.status(), refreshed.body());
        String minted = signed(claims(BASIC_OID), kid, realKey(), Jwts.SIG.RS256);
        String testMinted = TokenService.mintForTests(TEST_SECRET, Map.of("aud", server.baseUrl(), "iss", TokenService.issuerV2(server.baseUrl()),
                "tid", TENANT, "oid", BASIC_OID), java.time.Duration.ofMinutes(10));
        assertEquals(200, anonymous.withToken(minted).get("WhoAmI").status(), "valid before the user is disabled");

        assertEquals(204, api.patch("systemusers(" + BASIC_ID + ")", "{\"isdisabled\":true}").status());
        a.disabled("password-grant token", signedIn.json().path("access_token").asText());
        a.disabled("token from a refresh", refreshed.json().path("access_token").asText());
        a.disabled("token signed with the emulator's key", minted);
        a.disabled("test-secret token", testMinted);
        a.disabledImpersonation("admin impersonating the disabled user (MSCRMCallerID)", api, BASIC_ID);
        a.verify();
    }

    @Test
    void hostHeaderTricks() throws Exception {
        Attempts a = new Attempts("host-header");
        String tokenPath = "/" + TENANT + "/oauth2/v2.0/token";
        a.refusedAtIssuance("client credentials for http://evil.example/.default with Host: evil.example", anonymous.send("POST", tokenPath,
                WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", "http://evil.example/.default"),
                "Content-Type", "application/x-www-form-urlencoded", "Host", "evil.example"));
        a.refusedAtIssuance("password grant for http://evil.example with Host: evil.example", anonymous.send("POST", tokenPath,
                WebApi.form("grant_type", "password", "username", "admin@emulator.local", "password", "Passw0rd!", "scope", "http://evil.example/user_impersonation"),
                "Content-Type", "application/x-www-form-urlencoded", "Host", "evil.example"));
        a.refusedAtIssuance("v1 resource http://evil.example with Host: evil.example", anonymous.send("POST", "/" + TENANT + "/oauth2/token",
                WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "resource", "http://evil.example"),
                "Content-Type", "application/x-www-form-urlencoded", "Host", "evil.example"));
        a.refusedAtIssuance("client credentials for localhost on another port with Host: localhost:1", anonymous.send("POST", tokenPath,
                WebApi.form("grant_type", "client_credentials", "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", "http://localhost:1/.default"),
                "Content-Type", "application/x-www-form-urlencoded", "Host", "localhost:1"));

        // what the endpoint used to mint for a forged Host, signed with the emulator's own key
        Map<String, Object> evil = claims(ADMIN_OID);
        evil.put("aud", "http://evil.example");
        evil.put("iss", TokenService.issuerV2("http://evil.example"));
        String evilToken = signed(evil, kid, realKey(), Jwts.SIG.RS256);
        a.token("token for http://evil.example sent with Host: evil.example", evilToken, "Host", "evil.example");
        a.token("token for http://evil.example sent to the organization", evilToken);
        Map<String, Object> otherPort = claims(ADMIN_OID);
        otherPort.put("aud", "http://localhost:1");
        otherPort.put("iss", TokenService.issuerV2("http://localhost:1"));
        a.token("token for localhost:1 sent with Host: localhost:1", signed(otherPort, kid, realKey(), Jwts.SIG.RS256), "Host", "localhost:1");
        Map<String, Object> forwarded = claims(ADMIN_OID);
        forwarded.put("aud", "https://evil.example");
        forwarded.put("iss", TokenService.issuerV2("https://evil.example"));
        a.token("token for https://evil.example sent with X-Forwarded-Host and -Proto", signed(forwarded, kid, realKey(), Jwts.SIG.RS256),
                "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "Forwarded", "host=evil.example;proto=https");
        a.verify();
    }

    // ---- the record of one category

    /** The tokens of one category and what became of each. */
    private final class Attempts {
        private final String category;
        private int total;
        private int refused;
        private final List<String> accepted = new ArrayList<>();

        Attempts(String category) {
            this.category = category;
        }

        /** A forged bearer token: refused on read with the challenge, and on write. */
        void token(String what, String token, String... headers) {
            total++;
            Response read = anonymous.withToken(token).get("WhoAmI", headers);
            String challenge = read.header("WWW-Authenticate");
            boolean ok = read.status() == 401 && challenge != null
                    && challenge.startsWith("Bearer authorization_uri=" + server.baseUrl() + "/" + TENANT + "/oauth2/authorize")
                    && challenge.contains("resource_id=" + server.baseUrl());
            Response write = anonymous.withToken(token).post("accounts", "{\"name\":\"R4 forged\"}", headers);
            ok &= write.status() == 401;
            count(ok, what, read.status() + " " + challenge + " / write " + write.status());
        }

        /** A token of a user who has since been disabled: the Dataverse fault for disabled users, on read and on write. */
        void disabled(String what, String token) {
            total++;
            Response read = anonymous.withToken(token).get("WhoAmI");
            Response write = anonymous.withToken(token).post("accounts", "{\"name\":\"R4 forged\"}");
            count(isDisabledFault(read) && isDisabledFault(write), what, read + " / write " + write.status());
        }

        void disabledImpersonation(String what, WebApi admin, String userId) {
            total++;
            Response read = admin.get("WhoAmI", "MSCRMCallerID", userId);
            Response write = admin.post("accounts", "{\"name\":\"R4 forged\"}", "MSCRMCallerID", userId);
            count(isDisabledFault(read) && isDisabledFault(write), what, read + " / write " + write.status());
        }

        /** A token request that must not produce a token: an Entra error, no access_token. */
        void refusedAtIssuance(String what, Response r) {
            total++;
            boolean ok = r.status() >= 400 && r.status() < 500 && r.json().path("access_token").isMissingNode()
                    && r.json().path("error").isTextual();
            count(ok, what, r.toString());
        }

        private boolean isDisabledFault(Response r) {
            return r.status() == 400 && "0x80040225".equals(r.errorCode()) && r.errorMessage().contains("is disabled");
        }

        private void count(boolean ok, String what, String detail) {
            if (ok) {
                refused++;
            } else {
                accepted.add(what + " -> " + detail);
            }
        }

        void verify() {
            System.out.println("R4 " + category + ": " + total + " tokens, " + refused + " refused");
            assertTrue(accepted.isEmpty(), category + ": not refused as they should be:\n  " + String.join("\n  ", accepted));
            assertEquals(accountsBefore, accounts(), category + ": no account was written");
            assertEquals(0, api.get("accounts?$filter=name%20eq%20'R4%20forged'&$count=true").json().path("@odata.count").asInt(), category);
        }
    }

    // ---- forging

    /** The claims of a token the emulator would issue to a user, valid for ten minutes. */
    private Map<String, Object> claims(String oid) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("aud", server.baseUrl());
        c.put("iss", TokenService.issuerV2(server.baseUrl()));
        c.put("iat", now);
        c.put("nbf", now);
        c.put("exp", now + 600);
        c.put("tid", TENANT);
        c.put("ver", "2.0");
        c.put("sub", oid);
        c.put("oid", oid);
        c.put("appid", TokenService.PUBLIC_CLIENT_ID);
        c.put("scp", "user_impersonation");
        c.put("idtyp", "user");
        return c;
    }

    /** The emulator's own private key: what a leaked-key-free attacker cannot have, used to isolate one wrong claim. */
    private PrivateKey realKey() {
        return server.runtime().tokens().keys().privateKey();
    }

    private static String signed(Map<String, Object> claims, String kid, PrivateKey key, SecureDigestAlgorithm<PrivateKey, ?> alg) throws Exception {
        return headerAndPayload(claims, kid, alg.getId()) + "." + b64(sign(key, alg, headerAndPayload(claims, kid, alg.getId())));
    }

    private static String headerAndPayload(Map<String, Object> claims, String kid, String alg) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        return b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
    }

    /** The signature of a JWS signing input, by jjwt's algorithm implementation. */
    private static byte[] sign(PrivateKey key, SecureDigestAlgorithm<PrivateKey, ?> alg, String input) {
        return alg.digest(new SecureRequest<>() {
            @Override
            public InputStream getPayload() {
                return new ByteArrayInputStream(utf8(input));
            }

            @Override
            public PrivateKey getKey() {
                return key;
            }

            @Override
            public Provider getProvider() {
                return null;
            }

            @Override
            public SecureRandom getSecureRandom() {
                return null;
            }
        });
    }

    private String rs256WithHeader(String headerJson, Map<String, Object> claims) throws Exception {
        String input = b64(utf8(headerJson)) + "." + b64(JSON.writeValueAsBytes(claims));
        return input + "." + b64(sign(realKey(), Jwts.SIG.RS256, input));
    }

    /** An HMAC-signed token keyed with the bytes given, whatever their length (javax.crypto, not jjwt's key-size rules). */
    private static String hmac(String alg, byte[] key, String kid, Map<String, Object> claims) throws Exception {
        String input = headerAndPayload(claims, kid, alg);
        String jca = "Hmac" + alg.replace("HS", "SHA");
        Mac mac = Mac.getInstance(jca);
        mac.init(new SecretKeySpec(key, jca));
        return input + "." + b64(mac.doFinal(utf8(input)));
    }

    /** The test secret as the emulator keys it (zero-padded to 32 bytes when shorter). */
    private static byte[] padded(String secret) {
        byte[] b = utf8(secret);
        return b.length >= 32 ? b : java.util.Arrays.copyOf(b, 32);
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private int accounts() {
        Response r = api.get("accounts?$count=true&$select=accountid");
        assertEquals(200, r.status(), r.body());
        return r.json().path("@odata.count").asInt();
    }
}
