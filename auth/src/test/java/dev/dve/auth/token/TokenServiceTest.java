package dev.dve.auth.token;

import dev.dve.metadata.MetadataLoader;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.SchemaBuilder;
import io.jsonwebtoken.Claims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access tokens as Entra ID issues them for Dataverse, and the ones the emulator must refuse. */
class TokenServiceTest {
    private static final String ORG = "http://localhost:5555";
    private static final String ISSUER = TokenService.issuerV2(ORG);
    private static final List<String> AUDIENCES = List.of(ORG);
    private static final List<String> ISSUERS = List.of(ISSUER, TokenService.issuerV1(ORG));
    private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
    private static final UUID ALICE = UUID.fromString("00000000-0000-0000-0000-0000000a11ce");
    private static final TokenService.Subject USER = new TokenService.Subject(ALICE, null, "alice@emulator.local", "Alice");
    private static final UUID APP = UUID.fromString("00000000-0000-0000-0000-0000000000a1");

    /** One database and key for the class: an RSA key takes a while to make. */
    private static final Database database = new Database(DatabaseConfig.inMemoryH2("tokens-" + UUID.randomUUID()));
    private static final SigningKeys keys = keys(database);

    private static SigningKeys keys(Database db) {
        return new SigningKeys(db, new SchemaBuilder(new MetadataLoader().load(List.of()), db));
    }

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private TokenService service(Instant now) {
        return new TokenService(keys, null, at(now));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static String rejected(TokenService s, String token) {
        return assertThrows(TokenRejected.class, () -> s.validate(token, AUDIENCES, ISSUERS)).getMessage();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUserTokenRoundTripsWithTheClaimsDataverseReads() throws Exception {
        TokenService s = service(T0);
        String token = s.issue(USER, ORG, ISSUER, false);
        Claims c = s.validate(token, AUDIENCES, ISSUERS);
        assertEquals(ALICE.toString(), c.get("oid"));
        assertEquals(TokenService.TENANT_ID, c.get("tid"));
        assertEquals(TokenService.PUBLIC_CLIENT_ID, c.get("appid"));
        assertEquals("user_impersonation", c.get("scp"));
        assertEquals("alice@emulator.local", c.get("upn"));
        assertEquals("2.0", c.get("ver"));
        assertEquals(T0.plus(Duration.ofHours(1)), c.getExpiration().toInstant());
    }

    @Test
    void anApplicationTokenNamesTheApplicationAndNoUser() throws Exception {
        TokenService s = service(T0);
        Claims c = s.validate(s.issue(new TokenService.Subject(null, APP, null, null), ORG + "/", TokenService.issuerV1(ORG), true), AUDIENCES, ISSUERS);
        assertEquals(APP.toString(), c.get("appid"));
        assertEquals("app", c.get("idtyp"));
        assertEquals(null, c.get("oid"));
        assertEquals("1.0", c.get("ver"));
    }

    @Test
    void aTokenExpiresAfterAnHourWithAMinuteOfSkew() throws Exception {
        String token = service(T0).issue(USER, ORG, ISSUER, false);
        service(T0.plus(Duration.ofMinutes(60)).plusSeconds(59)).validate(token, AUDIENCES, ISSUERS);
        assertEquals("The token is expired.", rejected(service(T0.plus(Duration.ofMinutes(61)).plusSeconds(1)), token));
    }

    @Test
    void aTokenCheckedBeforeIsStillRefusedOnceExpiredOrForAnotherAudience() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(T0);
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        TokenService s = new TokenService(keys, null, moving);
        String token = s.issue(USER, ORG, ISSUER, false);
        assertEquals(USER.objectId().toString(), s.validate(token, AUDIENCES, ISSUERS).get("oid"));
        assertEquals(USER.objectId().toString(), s.validate(token, AUDIENCES, ISSUERS).get("oid"), "again, from what this node checked");
        assertEquals("The token's audience is not this organization.",
                assertThrows(TokenRejected.class, () -> s.validate(token, List.of("https://other.crm.dynamics.com"), ISSUERS)).getMessage());
        now.set(T0.plus(Duration.ofMinutes(61)).plusSeconds(1));
        assertEquals("The token is expired.", rejected(s, token), "a token checked before expires like any other");
        now.set(T0.minus(Duration.ofMinutes(2)));
        assertEquals("The token is not yet valid.", rejected(s, token));
    }

    @Test
    void aTokenFromTheFutureIsNotYetValid() {
        String token = service(T0.plus(Duration.ofMinutes(10))).issue(USER, ORG, ISSUER, false);
        assertEquals("The token is not yet valid.", rejected(service(T0), token));
    }

    @Test
    void anotherAudienceIssuerOrTenantIsRefused() {
        TokenService s = service(T0);
        assertEquals("The token's audience is not this organization.", rejected(s, s.issue(USER, "https://other.crm.dynamics.com", ISSUER, false)));
        assertEquals("The token's issuer is not trusted.", rejected(s, s.issue(USER, ORG, "https://login.microsoftonline.com/other/v2.0", false)));
    }

    @Test
    void aChangedSignatureOrPayloadIsRefusedWithoutRepeatingTheToken() {
        TokenService s = service(T0);
        String token = s.issue(USER, ORG, ISSUER, false);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + b64("{\"aud\":\"" + ORG + "\",\"iss\":\"" + ISSUER + "\",\"oid\":\"" + UUID.randomUUID()
                + "\",\"exp\":" + T0.plusSeconds(3600).getEpochSecond() + "}") + "." + parts[2];
        String reason = rejected(s, forged);
        assertEquals("The token is malformed or its signature is not valid.", reason);
        assertFalse(reason.contains(parts[1]));
        char last = parts[2].charAt(10);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
        assertEquals("The token is malformed or its signature is not valid.", rejected(s, badSignature));
        assertEquals("The token is malformed or its signature is not valid.", rejected(s, "not-a-token"));
    }

    @Test
    void anUnsignedTokenIsNeverAccepted() {
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"aud\":\"" + ORG + "\",\"iss\":\"" + ISSUER + "\",\"oid\":\""
                + ALICE + "\",\"exp\":" + T0.plusSeconds(3600).getEpochSecond() + "}") + ".";
        assertEquals("The token is malformed or its signature is not valid.", rejected(service(T0), none));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedAndOneByTheSharedKeyIsAcceptedOnEveryNode() throws Exception {
        try (Database other = new Database(DatabaseConfig.inMemoryH2("tokens-other-" + UUID.randomUUID()))) {
            TokenService stranger = new TokenService(keys(other), null, at(T0));
            assertEquals("The token is malformed or its signature is not valid.", rejected(service(T0), stranger.issue(USER, ORG, ISSUER, false)));
        }
        // a second node on the same database loads the key the first one stored
        SigningKeys secondNode = keys(database);
        assertEquals(keys.keyId(), secondNode.keyId());
        String token = service(T0).issue(USER, ORG, ISSUER, false);
        assertEquals(ALICE.toString(), new TokenService(secondNode, null, at(T0)).validate(token, AUDIENCES, ISSUERS).get("oid"));
    }

    @Test
    void hs256IsAcceptedOnlyWithAConfiguredTestSecret() throws Exception {
        Map<String, Object> claims = Map.of("aud", ORG, "iss", ISSUER, "tid", TokenService.TENANT_ID, "oid", ALICE.toString());
        String token = TokenService.mintForTests("test-secret", claims, Duration.ofMinutes(5));
        assertEquals("The token is malformed or its signature is not valid.", rejected(new TokenService(keys, null, Clock.systemUTC()), token));
        assertEquals("The token is malformed or its signature is not valid.", rejected(new TokenService(keys, "another-secret", Clock.systemUTC()), token));
        assertEquals(ALICE.toString(), new TokenService(keys, "test-secret", Clock.systemUTC()).validate(token, AUDIENCES, ISSUERS).get("oid"));
    }

    @Test
    void aRefreshTokenOrATokenForNobodyIsNoAccessToken() {
        TokenService s = new TokenService(keys, "test-secret", Clock.systemUTC());
        String refresh = TokenService.mintForTests("test-secret", Map.of("aud", ORG, "iss", ISSUER, "oid", ALICE.toString(), "typ", "refresh"), Duration.ofMinutes(5));
        assertEquals("The token is not an access token.", rejected(s, refresh));
        String nobody = TokenService.mintForTests("test-secret", Map.of("aud", ORG, "iss", ISSUER), Duration.ofMinutes(5));
        assertEquals("The token names no user or application.", rejected(s, nobody));
        String otherTenant = TokenService.mintForTests("test-secret", Map.of("aud", ORG, "iss", ISSUER, "oid", ALICE.toString(),
                "tid", UUID.randomUUID().toString()), Duration.ofMinutes(5));
        assertEquals("The token is for another tenant.", rejected(s, otherTenant));
    }

    @Test
    void theTenantIsNamedByIdAliasOrTheCommonEndpoints() {
        assertTrue(TokenService.isTenant(TokenService.TENANT_ID.toUpperCase()));
        assertTrue(TokenService.isTenant("emulator"));
        assertTrue(TokenService.isTenant("organizations"));
        assertFalse(TokenService.isTenant(UUID.randomUUID().toString()));
        assertEquals(ORG + "/" + TokenService.TENANT_ID + "/v2.0", TokenService.issuerV2(ORG + "/"));
        assertNotEquals(TokenService.issuerV1(ORG), TokenService.issuerV2(ORG));
    }
}
