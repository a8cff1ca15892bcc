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
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpointServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG_PASSWORD = "AADSTS50126: Error validating credentials due to invalid username or password.";
    private static final String LOCKED = "AADSTS50053: The account is locked, you've tried to sign in too many times with an incorrect user ID or password.";
    private static final int EXPIRES_IN = 3599;
    private final OrganizationRuntime runtime;
    private final Authority authority;

    public TokenEndpointServlet(OrganizationRuntime runtime, Authority authority) {
        this.runtime = runtime;
        this.authority = authority;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            route(req, resp);
        } catch (RuntimeException e) {
            // a fault of the emulator, not of the request: logged with its stack, answered in Entra's shape, still a 500
            LOG.error("Token endpoint failed on {} {}", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                error(resp, 500, "server_error", "AADSTS50000: There was an error issuing a token or an issue with the sign-in service; see the emulator's log.");
            }
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
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

    /** The base of the tenant's endpoints for this request: HTTPS ones for a client that came over HTTPS. */
    private String tenantAuthority(HttpServletRequest req) {
        return authority.tenantAuthority(req.isSecure(), req.getServerName(), req.getServerPort());
    }

    private Map<String, Object> openIdConfiguration(HttpServletRequest req, boolean v1) {
        String org = tenantAuthority(req);
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
        String org = tenantAuthority(req);
        String host = org.replaceFirst("^https?://", "");
        return Map.of("tenant_discovery_endpoint", org + "/" + TokenService.TENANT_ID + "/v2.0/.well-known/openid-configuration",
                "api-version", "1.1",
                "metadata", List.of(Map.of("preferred_network", host, "preferred_cache", host, "aliases", List.of(host))));
    }

    private void token(HttpServletRequest req, HttpServletResponse resp, boolean v1) throws IOException {
        Map<String, String[]> params;
        try {
            params = formParameters(req);
        } catch (BadMessageException | IllegalArgumentException | IllegalStateException e) {
            // a body that is not a form (bad %-escapes, too large): the client's error, not ours
            LOG.debug("Token request with an unreadable form: {}", e.toString());
            error(resp, 400, "invalid_request", "AADSTS90023: Invalid STS request: the body is not a valid application/x-www-form-urlencoded form.");
            return;
        }
        for (Map.Entry<String, String[]> p : params.entrySet()) {
            if (p.getValue().length > 1) {
                error(resp, 400, "invalid_request", "AADSTS90023: Invalid STS request: the parameter '" + printable(p.getKey()) + "' is given more than once.");
                return;
            }
        }
        String grant = param(params, "grant_type");
        String clientId = param(params, "client_id");
        String clientSecret = param(params, "client_secret");
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = basicCredentials(authorization.substring(6).trim());
            if (pair == null) {
                error(resp, 401, "invalid_client", "AADSTS7000216: The Authorization header does not hold Basic client credentials (base64 of 'client_id:client_secret').");
                return;
            }
            clientId = pair[0];
            clientSecret = pair[1];
        }
        if (grant == null) {
            error(resp, 400, "invalid_request", missing("grant_type"));
            return;
        }
        String asked = v1 ? param(params, "resource") : otherResource(param(params, "scope"));
        if (v1 && asked == null) {
            error(resp, 400, "invalid_request", missing("resource"));
            return;
        }
        if (asked != null && !authority.isAudience(asked)) {
            error(resp, 400, "invalid_resource", "AADSTS500011: The resource principal named " + printable(asked)
                    + " was not found in the tenant named " + TokenService.TENANT_ID
                    + ". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."
                    + " You might have sent your authentication request to the wrong tenant.");
            return;
        }
        // over HTTPS the token names the organization's https:// form and the issuer the client's HTTPS authority
        String audience = authority.organizationUrl(req.isSecure());
        String issuer = v1 ? TokenService.issuerV1(tenantAuthority(req)) : TokenService.issuerV2(tenantAuthority(req));
        switch (grant) {
            case "client_credentials" -> {
                if (clientId == null) {
                    error(resp, 400, "invalid_request", missing("client_id"));
                    return;
                }
                UUID appId = guid(clientId);
                Optional<Entity> app = appId == null ? Optional.empty() : runtime.principals().byApplicationId(appId);
                if (app.isEmpty()) {
                    error(resp, 400, "unauthorized_client", "AADSTS700016: Application with identifier '" + printable(clientId)
                            + "' was not found in the directory '" + TokenService.TENANT_ID + "'.");
                    return;
                }
                if (clientSecret == null) {
                    error(resp, 401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
                    return;
                }
                switch (runtime.credentials().signIn(app.get().id(), clientSecret, true)) {
                    case LOCKED -> error(resp, 400, "invalid_grant", LOCKED);
                    case REFUSED -> error(resp, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + appId + "'.");
                    case ACCEPTED -> {
                        TokenService.Subject s = new TokenService.Subject(null, appId, null, (String) app.get().get("fullname"));
                        write(resp, 200, answer(runtime.tokens().issue(s, audience, issuer, v1), audience, v1, null, null, null));
                    }
                }
            }
            case "password" -> {
                String userName = param(params, "username");
                String password = param(params, "password");
                if (userName == null || password == null) {
                    error(resp, 400, "invalid_request", missing(userName == null ? "username" : "password"));
                    return;
                }
                Optional<Entity> user = runtime.principals().byUserName(userName);
                if (user.isEmpty() || user.get().get("azureactivedirectoryobjectid") == null) {
                    error(resp, 400, "invalid_grant", WRONG_PASSWORD);
                    return;
                }
                switch (runtime.credentials().signIn(user.get().id(), password, false)) {
                    case LOCKED -> error(resp, 400, "invalid_grant", LOCKED);
                    case REFUSED -> error(resp, 400, "invalid_grant", WRONG_PASSWORD);
                    case ACCEPTED -> issueForUser(params, resp, user.get(), clientId, audience, issuer, v1);
                }
            }
            case "refresh_token" -> {
                String refresh = param(params, "refresh_token");
                if (refresh == null) {
                    error(resp, 400, "invalid_request", missing("refresh_token"));
                    return;
                }
                Optional<Entity> user = refreshTokenUser(refresh);
                if (user.isEmpty() || user.get().get("azureactivedirectoryobjectid") == null) {
                    error(resp, 400, "invalid_grant", "AADSTS9002313: Invalid request. Request is malformed or invalid.");
                    return;
                }
                issueForUser(params, resp, user.get(), clientId, audience, issuer, v1);
            }
            default -> error(resp, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type '" + printable(grant) + "'.");
        }
    }

    /** Tokens for an interactive user whose credentials (or refresh token) were accepted, unless the user is disabled. */
    private void issueForUser(Map<String, String[]> params, HttpServletResponse resp, Entity user, String clientId, String audience,
                              String issuer, boolean v1) throws IOException {
        if (Boolean.TRUE.equals(user.get("isdisabled"))) {
            error(resp, 400, "invalid_grant", "AADSTS50057: The user account is disabled. The account has been disabled by an administrator.");
            return;
        }
        UUID oid = (UUID) user.get("azureactivedirectoryobjectid");
        String name = (String) user.get("domainname");
        // the token names the client only by an application id; anything else is the public client
        UUID client = guid(clientId);
        TokenService.Subject s = new TokenService.Subject(oid, client, name, (String) user.get("fullname"));
        String access = runtime.tokens().issue(s, audience, issuer, v1);
        String scope = param(params, "scope") == null ? "" : param(params, "scope");
        String idToken = scope.contains("openid") || v1 ? idToken(s, client, issuer) : null;
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

    private String idToken(TokenService.Subject s, UUID client, String issuer) {
        Instant now = Instant.now();
        return Jwts.builder().header().keyId(runtime.tokens().keys().keyId()).and()
                .audience().add(client == null ? TokenService.PUBLIC_CLIENT_ID : client.toString()).and().issuer(issuer)
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

    /**
     * The first resource a v2 scope names that is not this organization (its scheme and authority), or null when
     * every resource it names is this one (or it names none: the organization is then meant).
     */
    private String otherResource(String scope) {
        if (scope == null) {
            return null;
        }
        for (String s : scope.trim().split("\\s+")) {
            int scheme = s.indexOf("://");
            if (scheme < 0) {
                continue;
            }
            int slash = s.indexOf('/', scheme + 3);
            String resource = slash < 0 ? s : s.substring(0, slash);
            if (!authority.isAudience(resource)) {
                return resource;
            }
        }
        return null;
    }

    /**
     * The parameters of the form body. The servlet's parameter map also holds the query string's, first; MSAL sends
     * {@code client-request-id} in both, and a grant is read from the body only, as Entra does.
     */
    private static Map<String, String[]> formParameters(HttpServletRequest req) {
        Map<String, String[]> all = req.getParameterMap();
        String query = req.getQueryString();
        if (query == null || query.isEmpty()) {
            return all;
        }
        org.eclipse.jetty.util.MultiMap<String> inQuery = org.eclipse.jetty.util.UrlEncoded.decodeQuery(query);
        Map<String, String[]> body = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> p : all.entrySet()) {
            List<String> fromQuery = inQuery.getValues(p.getKey());
            int skip = fromQuery == null ? 0 : Math.min(fromQuery.size(), p.getValue().length);
            if (p.getValue().length > skip) {
                body.put(p.getKey(), java.util.Arrays.copyOfRange(p.getValue(), skip, p.getValue().length));
            }
        }
        return body;
    }

    /** The one value of a form parameter, or null when it is absent or empty. */
    private static String param(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 || v[0].isEmpty() ? null : v[0];
    }

    /** {@code client_id} and {@code client_secret} from the base64 of an Authorization: Basic header, or null when it holds none. */
    private static String[] basicCredentials(String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] pair = new String(decoded, StandardCharsets.UTF_8).split(":", 2);
        return pair.length == 2 && !pair[0].isEmpty() ? pair : null;
    }

    private static String missing(String parameter) {
        return "AADSTS900144: The request body must contain the following parameter: '" + parameter + "'.";
    }

    /** A value the caller sent, shortened and stripped of control characters, for an error description. */
    private static String printable(String value) {
        String v = value.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 200 ? v.substring(0, 200) + "…" : v;
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
