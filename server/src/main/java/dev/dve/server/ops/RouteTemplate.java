package dev.dve.server.ops;

import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route a request path falls under, e.g. {@code /api/data/{version}/{entityset}({id})}: the label metrics and the
 * request log use instead of the raw path, so ids, names and a caller's invented paths never multiply the series.
 * Every answer is one of a small fixed set of shapes.
 */
public final class RouteTemplate {
    /** Anything that is none of the emulator's routes. */
    public static final String UNMATCHED = "{unmatched}";
    private static final Pattern WEB_API = Pattern.compile("^/api/data/v\\d+\\.\\d+(/.*)?$");
    private static final Pattern SEGMENT = Pattern.compile("^([^(]*)(\\(.*\\))?$");
    /** Past this many segments after the first, the rest of a Web API path is one "…". */
    private static final int MAX_SEGMENTS = 4;
    private static final Set<String> TENANT_ROUTES = Set.of("/oauth2/v2.0/token", "/oauth2/token", "/oauth2/v2.0/authorize",
            "/oauth2/authorize", "/v2.0/.well-known/openid-configuration", "/.well-known/openid-configuration", "/discovery/v2.0/keys",
            "/discovery/keys");
    private final Predicate<String> entitySet;
    private final Predicate<String> adminPath;

    /**
     * @param entitySet whether a name is an entity set of the catalog
     * @param adminPath whether a path under {@code /admin} (e.g. {@code /clock}) is one of the admin routes
     */
    public RouteTemplate(Predicate<String> entitySet, Predicate<String> adminPath) {
        this.entitySet = entitySet;
        this.adminPath = adminPath;
    }

    /** The template of a decoded request path (null counts as unmatched). */
    public String of(String path) {
        if (path == null || path.isEmpty()) {
            return UNMATCHED;
        }
        Matcher api = WEB_API.matcher(path);
        if (api.matches()) {
            return "/api/data/{version}" + webApi(api.group(1));
        }
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            String rest = path.substring("/admin".length());
            return adminPath.test(rest) ? path : "/admin/{unmatched}";
        }
        if (path.equals("/console") || path.startsWith("/console/")) {
            return console(path.substring("/console".length()));
        }
        if (path.equals("/metrics") || path.equals("/")) {
            return path;
        }
        if (path.equals("/common/discovery/instance") || path.equals("/common/discovery/instance/")) {
            return "/common/discovery/instance";
        }
        int second = path.indexOf('/', 1);
        if (second > 1 && TENANT_ROUTES.contains(path.substring(second))) {
            return "/{tenant}" + path.substring(second);
        }
        return UNMATCHED;
    }

    private static final Pattern CONSOLE_FILE = Pattern.compile("^/[a-z0-9-]+\\.(html|js|css)$");
    private static final Pattern CONSOLE_WORKFLOW = Pattern.compile("^/api/workflows/[^/]+(/(start|stop))?$");

    /** The console's page, its files and its API, with the workflow id replaced. */
    private static String console(String rest) {
        if (rest.isEmpty() || rest.equals("/") || rest.equals("/api/workflows")) {
            return "/console" + rest;
        }
        if (CONSOLE_FILE.matcher(rest).matches()) {
            return "/console/{file}";
        }
        Matcher m = CONSOLE_WORKFLOW.matcher(rest);
        if (m.matches()) {
            return "/console/api/workflows/{id}" + (m.group(1) == null ? "" : m.group(1));
        }
        return "/console/{unmatched}";
    }

    private String webApi(String rest) {
        if (rest == null || rest.equals("/")) {
            return "/";
        }
        String[] segments = rest.substring(1).split("/", -1);
        StringBuilder route = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > MAX_SEGMENTS) {
                return route.append("/…").toString();
            }
            String s = segments[i];
            if (s.isEmpty() && i == segments.length - 1) {
                break;
            }
            route.append('/').append(i == 0 ? first(s) : later(s));
        }
        return route.toString();
    }

    private String first(String s) {
        if (s.equals("$metadata") || s.equals("$batch")) {
            return s;
        }
        Matcher m = SEGMENT.matcher(s);
        if (m.matches() && entitySet.test(m.group(1))) {
            return m.group(2) == null ? "{entityset}" : "{entityset}({id})";
        }
        return "{operation}";
    }

    private static String later(String s) {
        if (s.equals("$ref") || s.equals("$count") || s.equals("$value")) {
            return s;
        }
        Matcher m = SEGMENT.matcher(s);
        String name = m.matches() ? m.group(1) : s;
        if (name.contains(".")) {
            return "{operation}";
        }
        return m.matches() && m.group(2) != null ? "{property}({id})" : "{property}";
    }
}
