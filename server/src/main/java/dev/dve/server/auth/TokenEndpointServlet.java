package dev.dve.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.auth.token.TokenService;
import dev.dve.engine.OrganizationRuntime;
import dev.dve.record.Entity;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Entra-compatible endpoints of the emulator's tenant: the v2 and v1 token endpoints (client credentials,
 * password and refresh-token grants), OpenID configuration, JWKS and instance discovery, answering in Entra's
 * JSON shapes so MSAL and ADAL code runs unchanged against it.
 */
public final class TokenEndpointServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXPIRES_IN = 3599;
    private final OrganizationRuntime runtime;
    private final Authority authority;

    public TokenEndpointServlet(OrganizationRuntime runtime, Authority authority) {
        this.runtime = runtime;
        this.authority = authority;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String[] seg = path.replaceAll("^/+", "").split("/");
        resp.setHeader("Cache-Control", "no-store");
        if (path.equals("/common/discovery/instance") || path.equals("/common/discovery/instance/")) {
            write(resp, 200, instanceDiscovery(req));
            return;
        }
        if (seg.length < 2 || !TokenService.isTenant(seg[0])) {
            error(resp, 404, "invalid_tenant", "AADSTS90002: Tenant '" + (seg.length > 0 ? seg[0] : "") + "' not found.");
            return;
        }
        String rest = path.substring(seg[0].length() + 1);
        String method = req.getMethod();
        switch (method + " " + rest) {
            case "POST /oauth2/v2.0/token" -> token(req, resp, false);
            case "POST /oauth2/token" -> token(req, resp, true);
            case "GET /v2.0/.well-known/openid-configuration" -> write(resp, 200, openIdConfiguration(req, false));
            case "GET /.well-known/openid-configuration" -> write(resp, 200, openIdConfiguration(req, true));
            case "GET /discovery/v2.0/keys", "GET /discovery/keys" -> write(resp, 200, Map.of("keys", List.of(runtime.tokens().keys().jwk())));
            case "GET /oauth2/v2.0/authorize", "GET /oauth2/authorize" -> error(resp, 400, "unsupported_response_type",
                    "AADSTS50011: The emulator has no interactive sign-in; use the client credentials or password grant.");
            default -> error(resp, 404, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests or the path is unknown: " + rest);
        }
    }

    private Map<String, Object> openIdConfiguration(HttpServletRequest req, boolean v1) {
        String org = authority.organizationUrl(req);
        String tenantBase = org + "/" + TokenService.TENANT_ID;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_endpoint", tenantBase + (v1 ? "/oauth2/token" : "/oauth2/v2.0/token"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic"));
        m.put("jwks_uri", tenantBase + (v1 ? "/discovery/keys" : "/discovery/v2.0/keys"));
        m.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        m.put("subject_types_supported", List.of("pairwise"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        m.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        m.put("issuer", v1 ? TokenService.issuerV1(org) : TokenService.issuerV2(org));
        m.put("request_uri_parameter_supported", false);
        m.put("authorization_endpoint", tenantBase + (v1 ? "/oauth2/authorize" : "/oauth2/v2.0/authorize"));
        m.put("tenant_region_scope", "NA");
        m.put("cloud_instance_name", "emulator");
        m.put("grant_types_supported", List.of("client_credentials", "password", "refresh_token"));
        return m;
    }

    private Map<String, Object> instanceDiscovery(HttpServletRequest req) {
        String org = authority.organizationUrl(req);
        String host = org.replaceFirst("^https?://", "");
        return Map.of("tenant_discovery_endpoint", org + "/" + TokenService.TENANT_ID + "/v2.0/.well-known/openid-configuration",
                "api-version", "1.1",
                "metadata", List.of(Map.of("preferred_network", host, "preferred_cache", host, "aliases", List.of(host))));
    }

    private void token(HttpServletRequest req, HttpServletResponse resp, boolean v1) throws IOException {
        String grant = req.getParameter("grant_type");
        String clientId = req.getParameter("client_id");
        String clientSecret = req.getParameter("client_secret");
        String basic = req.getHeader("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8).split(":", 2);
            clientId = pair[0];
            clientSecret = pair.length > 1 ? pair[1] : null;
        }
        if (grant == null) {
            error(resp, 400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return;
        }
        String audience = audience(req, v1);
        if (audience == null) {
            String asked = v1 ? req.getParameter("resource") : req.getParameter("scope");
            error(resp, 400, "invalid_resource", "AADSTS500011: The resource principal named " + asked
                    + " was not found in the tenant named " + TokenService.TENANT_ID + ".");
            return;
        }
        String org = authority.organizationUrl(req);
        String issuer = v1 ? TokenService.issuerV1(org) : TokenService.issuerV2(org);
        switch (grant) {
            case "client_credentials" -> {
                UUID appId = guid(clientId);
                Optional<Entity> app = appId == null ? Optional.empty() : runtime.principals().byApplicationId(appId);
                if (app.isEmpty()) {
                    error(resp, 400, "unauthorized_client", "AADSTS700016: Application with identifier '" + clientId
                            + "' was not found in the directory '" + TokenService.TENANT_ID + "'.");
                    return;
                }
                if (!runtime.credentials().verify(app.get().id(), clientSecret, true)) {
                    error(resp, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + clientId + "'.");
                    return;
                }
                TokenService.Subject s = new TokenService.Subject(null, appId, null, (String) app.get().get("fullname"));
                write(resp, 200, answer(runtime.tokens().issue(s, audience, issuer, v1), audience, v1, null, null, null));
            }
            case "password" -> {
                Optional<Entity> user = runtime.principals().byUserName(req.getParameter("username"));
                if (user.isEmpty() || user.get().get("azureactivedirectoryobjectid") == null
                        || !runtime.credentials().verify(user.get().id(), req.getParameter("password"), false)) {
                    error(resp, 400, "invalid_grant", "AADSTS50126: Error validating credentials due to invalid username or password.");
                    return;
                }
                issueForUser(req, resp, user.get(), clientId, audience, issuer, v1);
            }
            case "refresh_token" -> {
                Optional<Entity> user = refreshTokenUser(req.getParameter("refresh_token"));
                if (user.isEmpty()) {
                    error(resp, 400, "invalid_grant", "AADSTS9002313: Invalid request. Request is malformed or invalid.");
                    return;
                }
                issueForUser(req, resp, user.get(), clientId, audience, issuer, v1);
            }
            default -> error(resp, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type '" + grant + "'.");
        }
    }

    private void issueForUser(HttpServletRequest req, HttpServletResponse resp, Entity user, String clientId, String audience,
                              String issuer, boolean v1) throws IOException {
        UUID oid = (UUID) user.get("azureactivedirectoryobjectid");
        String name = (String) user.get("domainname");
        TokenService.Subject s = new TokenService.Subject(oid, guid(clientId), name, (String) user.get("fullname"));
        String access = runtime.tokens().issue(s, audience, issuer, v1);
        String scope = req.getParameter("scope") == null ? "" : req.getParameter("scope");
        String idToken = scope.contains("openid") || v1 ? idToken(s, clientId, issuer) : null;
        String clientInfo = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"uid\":\"" + oid + "\",\"utid\":\"" + TokenService.TENANT_ID + "\"}").getBytes(StandardCharsets.UTF_8));
        write(resp, 200, answer(access, audience, v1, refreshToken(user.id()), idToken, clientInfo));
    }

    private Map<String, Object> answer(String accessToken, String audience, boolean v1, String refresh, String idToken, String clientInfo) {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        m.put("token_type", "Bearer");
        if (v1) {
            m.put("expires_in", String.valueOf(EXPIRES_IN));
            m.put("ext_expires_in", String.valueOf(EXPIRES_IN));
            m.put("expires_on", String.valueOf(now + EXPIRES_IN));
            m.put("not_before", String.valueOf(now));
            m.put("resource", audience);
        } else {
            m.put("scope", audience + (refresh == null ? "/.default" : "/user_impersonation"));
            m.put("expires_in", EXPIRES_IN);
            m.put("ext_expires_in", EXPIRES_IN);
        }
        m.put("access_token", accessToken);
        if (refresh != null) {
            m.put("refresh_token", refresh);
        }
        if (idToken != null) {
            m.put("id_token", idToken);
        }
        if (clientInfo != null) {
            m.put("client_info", clientInfo);
        }
        return m;
    }

    private String idToken(TokenService.Subject s, String clientId, String issuer) {
        Instant now = Instant.now();
        return Jwts.builder().header().keyId(runtime.tokens().keys().keyId()).and()
                .audience().add(clientId == null ? TokenService.PUBLIC_CLIENT_ID : clientId).and().issuer(issuer)
                .subject(s.objectId().toString()).issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(now.plusSeconds(EXPIRES_IN)))
                .claim("oid", s.objectId().toString()).claim("tid", TokenService.TENANT_ID).claim("preferred_username", s.userName())
                .claim("name", s.name()).claim("ver", "2.0")
                .signWith(runtime.tokens().keys().privateKey(), Jwts.SIG.RS256).compact();
    }

    private String refreshToken(UUID userId) {
        Instant now = Instant.now();
        return Jwts.builder().header().keyId(runtime.tokens().keys().keyId()).and()
                .subject(userId.toString()).claim("typ", "refresh").issuedAt(Date.from(now))
                .expiration(Date.from(now.plusSeconds(90L * 24 * 3600)))
                .signWith(runtime.tokens().keys().privateKey(), Jwts.SIG.RS256).compact();
    }

    private Optional<Entity> refreshTokenUser(String token) {
        if (token == null) {
            return Optional.empty();
        }
        try {
            Claims c = Jwts.parser().verifyWith(runtime.tokens().keys().publicKey()).build().parseSignedClaims(token).getPayload();
            if (!"refresh".equals(c.get("typ", String.class))) {
                return Optional.empty();
            }
            return runtime.principals().byId(UUID.fromString(c.getSubject()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The organization URL a token request asks for (v2 scope or v1 resource), if it is this organization. */
    private String audience(HttpServletRequest req, boolean v1) {
        String asked = v1 ? req.getParameter("resource") : firstResourceScope(req.getParameter("scope"));
        if (asked == null) {
            return v1 ? null : authority.organizationUrl(req);
        }
        String a = asked.endsWith("/") ? asked.substring(0, asked.length() - 1) : asked;
        for (String accepted : authority.audiences(req)) {
            if (accepted.equalsIgnoreCase(a)) {
                return authority.organizationUrl(req);
            }
        }
        return null;
    }

    private static String firstResourceScope(String scope) {
        if (scope == null) {
            return null;
        }
        for (String s : scope.trim().split("\\s+")) {
            if (s.contains("://")) {
                int slash = s.indexOf('/', s.indexOf("://") + 3);
                return slash < 0 ? s : s.substring(0, slash);
            }
        }
        return null;
    }

    private static UUID guid(String s) {
        try {
            return s == null ? null : UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void error(HttpServletResponse resp, int status, String error, String description) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("error_description", description);
        m.put("error_codes", List.of(Integer.parseInt(description.replaceAll("^AADSTS(\\d+).*$", "$1").replaceAll("\\D", "").isEmpty()
                ? "0" : description.replaceAll("^AADSTS(\\d+).*$", "$1"))));
        m.put("timestamp", Instant.now().toString());
        m.put("trace_id", UUID.randomUUID().toString());
        m.put("correlation_id", UUID.randomUUID().toString());
        write(resp, status, m);
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json; charset=utf-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }
}
