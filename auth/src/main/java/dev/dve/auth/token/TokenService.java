package dev.dve.auth.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.Keys;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and validates access tokens the way Entra ID does for Dataverse: RS256 JWTs with {@code aud} the
 * organization URL, {@code iss} the tenant's issuer, {@code tid}, {@code oid} (users) or {@code appid}/{@code azp}
 * (applications). Validation allows RS256 with the emulator's key and, only when a test secret is configured,
 * HS256 with that secret; never {@code none}. Token times are real time, not the emulator clock, so a test that
 * moves the clock does not expire its own tokens.
 */
public final class TokenService {
    public static final String TENANT_ID = "00000000-0000-0000-0000-000000000001";
    public static final String TENANT_ALIAS = "emulator";
    /** The client id Dataverse's own tooling signs in with; tokens of interactive users carry it as appid. */
    public static final String PUBLIC_CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final long SKEW_SECONDS = 60;
    /** Most tokens whose signature this node has checked and keeps (a client reuses its token for up to an hour). */
    private static final int VERIFIED_CAPACITY = 4096;
    private final SigningKeys keys;
    private final SecretKey testSecret;
    private final Clock clock;
    /**
     * Tokens whose signature and claims this node has already checked, by signing key id and token text. A token's
     * text fixes its claims and the key fixes the signature's outcome, so the entry is correct on every node without
     * coordination; the times (expiry, not-before) are checked again on every use. Bounded: emptied when full.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Claims> verified = new java.util.concurrent.ConcurrentHashMap<>();

    public TokenService(SigningKeys keys, String testSecret, Clock clock) {
        this.keys = keys;
        this.testSecret = testSecret == null || testSecret.isBlank() ? null
                : Keys.hmacShaKeyFor(pad(testSecret.getBytes(StandardCharsets.UTF_8)));
        this.clock = clock;
    }

    private static byte[] pad(byte[] secret) {
        return secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
    }

    public SigningKeys keys() {
        return keys;
    }

    /** Whether a tenant path segment names the emulator's tenant. */
    public static boolean isTenant(String segment) {
        return TENANT_ID.equalsIgnoreCase(segment) || TENANT_ALIAS.equalsIgnoreCase(segment)
                || "common".equalsIgnoreCase(segment) || "organizations".equalsIgnoreCase(segment);
    }

    /** The v2 issuer for an authority base URL ({@code http://localhost:5555}). */
    public static String issuerV2(String authority) {
        return strip(authority) + "/" + TENANT_ID + "/v2.0";
    }

    /** The v1 issuer. */
    public static String issuerV1(String authority) {
        return strip(authority) + "/" + TENANT_ID + "/";
    }

    static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Who a token is for. */
    public record Subject(UUID objectId, UUID applicationId, String userName, String name) {
        public boolean isApplication() {
            return objectId == null;
        }
    }

    /** Signs an access token for the subject. */
    public String issue(Subject s, String audience, String issuer, boolean v1) {
        Instant now = clock.instant();
        var b = Jwts.builder().header().keyId(keys.keyId()).add("x5t", keys.keyId()).and()
                .audience().add(audience).and()
                .issuer(issuer)
                .issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(now.plus(LIFETIME)))
                .id(UUID.randomUUID().toString())
                .claim("tid", TENANT_ID)
                .claim("ver", v1 ? "1.0" : "2.0");
        if (s.isApplication()) {
            String app = s.applicationId().toString();
            b.subject(app).claim("appid", app).claim("azp", app).claim("idtyp", "app").claim("oid", null);
        } else {
            b.subject(s.objectId().toString()).claim("oid", s.objectId().toString())
                    .claim("appid", s.applicationId() == null ? PUBLIC_CLIENT_ID : s.applicationId().toString())
                    .claim("azp", s.applicationId() == null ? PUBLIC_CLIENT_ID : s.applicationId().toString())
                    .claim("scp", "user_impersonation").claim("idtyp", "user")
                    .claim("upn", s.userName()).claim("unique_name", s.userName()).claim("preferred_username", s.userName())
                    .claim("name", s.name());
        }
        return b.signWith(keys.privateKey(), Jwts.SIG.RS256).compact();
    }

    /**
     * Validates a token and returns its claims, or says why it is refused. The reason is one of a few short fixed
     * sentences: it never repeats the token's content or the library's message (which can name key parameters).
     */
    public Claims validate(String token, Collection<String> audiences, Collection<String> issuers) throws TokenRejected {
        String cacheKey = keys.keyId() + ' ' + token;
        Claims known = verified.get(cacheKey);
        if (known != null) {
            requireCurrent(known);
        } else {
            known = verify(token);
            if (verified.size() >= VERIFIED_CAPACITY) {
                verified.clear();
            }
            verified.put(cacheKey, known);
        }
        Claims claims = known;
        Set<String> aud = claims.getAudience();
        if (aud == null || aud.stream().map(TokenService::strip).noneMatch(a -> audiences.stream().map(TokenService::strip).anyMatch(a::equalsIgnoreCase))) {
            throw new TokenRejected("The token's audience is not this organization.");
        }
        if (claims.getIssuer() == null || issuers.stream().noneMatch(i -> i.equalsIgnoreCase(claims.getIssuer()))) {
            throw new TokenRejected("The token's issuer is not trusted.");
        }
        return claims;
    }

    /** A token checked before is still within its lifetime, with the same skew the parser allows. */
    private void requireCurrent(Claims claims) throws TokenRejected {
        Instant now = clock.instant();
        if (!now.isBefore(claims.getExpiration().toInstant().plusSeconds(SKEW_SECONDS))) {
            throw new TokenRejected("The token is expired.");
        }
        if (claims.getNotBefore() != null && now.isBefore(claims.getNotBefore().toInstant().minusSeconds(SKEW_SECONDS))) {
            throw new TokenRejected("The token is not yet valid.");
        }
    }

    /** The signature, the times and the claims that do not depend on the caller's URL. */
    private Claims verify(String token) throws TokenRejected {
        Claims claims;
        try {
            claims = Jwts.parser()
                    .keyLocator(new LocatorAdapter<Key>() {
                        @Override
                        protected Key locate(JwsHeader header) {
                            String alg = header.getAlgorithm();
                            if ("RS256".equals(alg)) {
                                // Entra always names the key; a token without a kid, or with another one, is not ours
                                if (!keys.keyId().equals(header.getKeyId())) {
                                    throw new JwtException("unknown signing key");
                                }
                                return keys.publicKey();
                            }
                            if ("HS256".equals(alg) && testSecret != null) {
                                return testSecret;
                            }
                            throw new JwtException("signing algorithm not accepted");
                        }
                    })
                    .clock(() -> Date.from(clock.instant()))
                    .clockSkewSeconds(SKEW_SECONDS)
                    .build()
                    .parseSignedClaims(token)
                    .getPayload();
        } catch (ExpiredJwtException e) {
            throw new TokenRejected("The token is expired.", e);
        } catch (PrematureJwtException e) {
            throw new TokenRejected("The token is not yet valid.", e);
        } catch (JwtException | IllegalArgumentException e) {
            throw new TokenRejected("The token is malformed or its signature is not valid.", e);
        }
        if (claims.getExpiration() == null) {
            throw new TokenRejected("The token has no expiry.");
        }
        if ("refresh".equals(claims.get("typ"))) {
            // the emulator's refresh tokens are signed with the same key; they are never access tokens
            throw new TokenRejected("The token is not an access token.");
        }
        Object tid = claims.get("tid");
        if (tid != null && !TENANT_ID.equalsIgnoreCase(String.valueOf(tid))) {
            throw new TokenRejected("The token is for another tenant.");
        }
        if (claims.get("oid") == null && claims.get("appid") == null && claims.get("azp") == null) {
            throw new TokenRejected("The token names no user or application.");
        }
        return claims;
    }

    /** A test-minted HS256 token (only for a configured test secret): the claims given, plus the times. */
    public static String mintForTests(String secret, Map<String, Object> claims, Duration lifetime) {
        Instant now = Instant.now();
        return Jwts.builder().claims(claims).issuedAt(Date.from(now)).notBefore(Date.from(now))
                .expiration(Date.from(now.plus(lifetime)))
                .signWith(Keys.hmacShaKeyFor(pad(secret.getBytes(StandardCharsets.UTF_8))), Jwts.SIG.HS256).compact();
    }
}
