package dev.dve.server.auth;

import dev.dve.auth.token.TokenService;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The URLs tokens are issued for and by: the organization URL ({@code --url}, else {@code http://localhost:<port>}),
 * which is both the audience and the authority of the emulator's tenant. They come from the configuration only,
 * never from the request ({@code Host} is the caller's to choose, so a token for {@code http://evil.example} must
 * not be issued or accepted because a request said it came there).
 * <p>
 * The accepted audiences are kept here, in one list: the organization URL, and the loopback spellings
 * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) of it and of the port this node listens on; with HTTPS on,
 * also the {@code https://} form of the organization URL and the loopback spellings of the HTTPS port. A token
 * may name either form: clients reach the same organization over both.
 */
public final class Authority {
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");
    private final String configuredUrl;
    private final IntSupplier httpPort;
    private final IntSupplier httpsPort;

    /**
     * @param configuredUrl the {@code --url}; null means {@code http://localhost:<port>}
     * @param httpPort      the port this node listens on for HTTP (read when asked: a free port is known only once bound)
     */
    public Authority(String configuredUrl, IntSupplier httpPort) {
        this(configuredUrl, httpPort, () -> 0);
    }

    /**
     * @param httpsPort the port this node listens on for HTTPS, read when asked; 0 when it serves no HTTPS
     */
    public Authority(String configuredUrl, IntSupplier httpPort, IntSupplier httpsPort) {
        String given = configuredUrl == null || configuredUrl.isBlank() ? null : strip(configuredUrl.trim());
        this.configuredUrl = given == null || normalize(given) == null ? given : normalize(given);
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The organization URL (normalised as {@link #normalize}): the audience of every token issued and the base of the tenant's endpoints. */
    public String organizationUrl() {
        return configuredUrl != null ? configuredUrl : base("http", "localhost", httpPort.getAsInt());
    }

    /**
     * The organization URL as a client that came over HTTPS knows it: the organization URL when it is an https URL
     * already, else its {@code https://} form on the HTTPS port. Without HTTPS, or for a plain HTTP request, the
     * organization URL.
     */
    public String organizationUrl(boolean secure) {
        String org = organizationUrl();
        int tls = httpsPort.getAsInt();
        if (!secure || tls <= 0 || normalize(org) == null) {
            return org;
        }
        URI u = URI.create(org);
        return "https".equals(u.getScheme()) ? org : base("https", u.getHost(), tls) + u.getRawPath();
    }

    /**
     * The base of the tenant's endpoints named in what a request is answered (OpenID configuration, token issuer).
     * Over HTTP the organization URL. Over HTTPS its {@code https://} form, spelt with the loopback host the client
     * used when it came to a loopback organization on this node's HTTPS port ({@code https://127.0.0.1:5556} is
     * answered with {@code 127.0.0.1}, so MSAL finds the issuer on the authority it was given); any other host is the
     * caller's to choose and is never echoed.
     */
    public String tenantAuthority(boolean secure, String requestHost, int requestPort) {
        String org = organizationUrl(secure);
        if (!secure || requestHost == null || requestPort != httpsPort.getAsInt() || normalize(org) == null) {
            return org;
        }
        URI u = URI.create(org);
        String host = requestHost.toLowerCase(Locale.ROOT);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        if (LOOPBACK.contains(u.getHost()) && LOOPBACK.contains(host) && u.getPort() == requestPort) {
            return base("https", host, requestPort) + u.getRawPath();
        }
        return org;
    }

    /** Every URL a token may name as its audience (normalised: lower-case scheme and host, no default port, no trailing slash). */
    public Set<String> audiences() {
        Set<String> out = new LinkedHashSet<>();
        String org = organizationUrl();
        out.add(org);
        if (normalize(org) != null) {
            URI u = URI.create(org);
            if (LOOPBACK.contains(u.getHost())) {
                for (String host : LOOPBACK) {
                    out.add(base(u.getScheme(), host, u.getPort()) + u.getRawPath());
                }
            }
        }
        for (String host : LOOPBACK) {
            out.add(base("http", host, httpPort.getAsInt()));
        }
        int tls = httpsPort.getAsInt();
        if (tls > 0 && normalize(organizationUrl(true)) != null) {
            String secureOrg = organizationUrl(true);
            out.add(secureOrg);
            URI u = URI.create(secureOrg);
            if (LOOPBACK.contains(u.getHost())) {
                for (String host : LOOPBACK) {
                    out.add(base("https", host, u.getPort()) + u.getRawPath());
                }
            }
            for (String host : LOOPBACK) {
                out.add(base("https", host, tls));
            }
        }
        return out;
    }

    /** Accepted issuers: the v1 and v2 issuer of the tenant under each accepted audience. */
    public Set<String> issuers() {
        Set<String> out = new LinkedHashSet<>();
        for (String a : audiences()) {
            out.add(TokenService.issuerV2(a));
            out.add(TokenService.issuerV1(a));
        }
        return out;
    }

    /** Whether a URL (a v1 {@code resource}, the resource part of a v2 scope, an {@code aud}) names this organization. */
    public boolean isAudience(String url) {
        String n = normalize(url);
        return n != null && audiences().contains(n);
    }

    /** The challenge a 401 carries, from which clients discover the authority. */
    public String challenge() {
        return challenge(false);
    }

    /** The challenge a 401 answered over HTTP or HTTPS carries: the authority in the scheme the client came with. */
    public String challenge(boolean secure) {
        String org = organizationUrl(secure);
        return "Bearer authorization_uri=" + org + "/" + TokenService.TENANT_ID + "/oauth2/authorize, resource_id=" + org + "/";
    }

    /**
     * A URL in the form audiences are compared in, or null when it is not an absolute http(s) URL. User info, query
     * and fragment make it a different URL, never this organization's.
     */
    static String normalize(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(strip(url.trim()));
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || u.getHost() == null || u.getRawUserInfo() != null
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                return null;
            }
            return base(scheme, u.getHost().toLowerCase(Locale.ROOT), u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String base(String scheme, String host, int port) {
        boolean defaultPort = port < 0 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
