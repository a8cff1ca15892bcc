package dev.dve.server.auth;

import dev.dve.auth.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The URLs tokens are issued for and by: the organization URL ({@code --url}, else the address a request came
 * to), which is both the audience and the authority of the emulator's tenant.
 */
public final class Authority {
    private final String configuredUrl;

    public Authority(String configuredUrl) {
        this.configuredUrl = configuredUrl == null ? null : strip(configuredUrl);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The base URL of the request: scheme, host and port. */
    public static String requestBase(HttpServletRequest req) {
        String scheme = req.getScheme();
        int port = req.getServerPort();
        boolean defaultPort = "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        return scheme + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
    }

    /** The organization URL as seen by this request. */
    public String organizationUrl(HttpServletRequest req) {
        return configuredUrl != null ? configuredUrl : requestBase(req);
    }

    /** Accepted audiences: the organization URL, and the address the request came to. */
    public Set<String> audiences(HttpServletRequest req) {
        Set<String> out = new LinkedHashSet<>();
        out.add(organizationUrl(req));
        out.add(requestBase(req));
        if (req.getServerName().equals("127.0.0.1") || req.getServerName().equals("localhost")) {
            out.add(requestBase(req).replace("127.0.0.1", "localhost"));
            out.add(requestBase(req).replace("localhost", "127.0.0.1"));
        }
        return out;
    }

    /** Accepted issuers: the v1 and v2 issuer of the tenant under each accepted authority. */
    public Set<String> issuers(HttpServletRequest req) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : audiences(req)) {
            out.add(TokenService.issuerV2(a));
            out.add(TokenService.issuerV1(a));
        }
        return out;
    }

    /** The challenge a 401 carries, from which clients discover the authority. */
    public String challenge(HttpServletRequest req) {
        String org = organizationUrl(req);
        return "Bearer authorization_uri=" + org + "/" + TokenService.TENANT_ID + "/oauth2/authorize, resource_id=" + org + "/";
    }
}
