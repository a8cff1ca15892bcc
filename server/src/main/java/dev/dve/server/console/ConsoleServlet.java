package dev.dve.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.auth.CallerContext;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.server.CallerResolver;
import dev.dve.server.odata.DataverseErrorProcessor;
import dev.dve.store.platform.ConsolePendingChangeTable.PendingChange;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /console/}: the static page (HTML, JS, CSS from {@code console/} on the class path, no data in them) and the JSON
 * API it calls, {@code /console/api/workflows…}, which runs as the caller {@code callers} resolves (the admin gate).
 */
public final class ConsoleServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE = Pattern.compile("/([a-z0-9-]+\\.(html|js|css))");
    private static final Pattern ONE = Pattern.compile("/api/workflows/([^/]+)");
    private static final Pattern ACTION = Pattern.compile("/api/workflows/([^/]+)/(start|stop)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private final WorkflowBoard board;
    private final CallerResolver callers;

    public ConsoleServlet(WorkflowBoard board, CallerResolver callers) {
        this.board = board;
        this.callers = callers;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.equals("/api") || path.startsWith("/api/")) {
            api(req, resp, path);
            return;
        }
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            error(resp, 405, ErrorCode.METHOD_NOT_ALLOWED, "The method " + req.getMethod() + " is not allowed on /console" + path + ".");
            return;
        }
        if (path.isEmpty()) {
            resp.sendRedirect(req.getContextPath() + "/console/");
            return;
        }
        Matcher m = RESOURCE.matcher(path.equals("/") ? "/index.html" : path);
        InputStream in = m.matches() ? ConsoleServlet.class.getClassLoader().getResourceAsStream("console/" + m.group(1)) : null;
        if (in == null) {
            error(resp, 404, ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + path + "'.");
            return;
        }
        try (in) {
            resp.setContentType(TYPES.get(m.group(2)));
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            in.transferTo(resp.getOutputStream());
        }
    }

    private void api(HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        resp.setContentType("application/json; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        try {
            Object answer = route(req, path);
            resp.setStatus(200);
            JSON.writeValue(resp.getOutputStream(), answer);
        } catch (DataverseFault f) {
            error(resp, f.httpStatus(), f.code(), f.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Console request failed: {} {}", req.getMethod(), path, e);
            error(resp, 500, ErrorCode.UNEXPECTED, "An unexpected error occurred: " + e.getMessage());
        }
    }

    private Object route(HttpServletRequest req, String path) throws IOException {
        String method = req.getMethod();
        Matcher action = ACTION.matcher(path);
        Matcher one = ONE.matcher(path);
        boolean known = path.equals("/api/workflows") || action.matches() || one.matches();
        if (!known) {
            throw new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + path + "'.");
        }
        String allowed = path.equals("/api/workflows") ? "GET" : action.matches() ? "POST" : "GET PUT";
        if (!List.of(allowed.split(" ")).contains(method)) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "The method " + method + " is not allowed on /console" + path + ".");
        }
        // the gate: refused before anything is read
        CallerContext caller = callers.resolve(req);
        if (path.equals("/api/workflows")) {
            return Map.of("value", board.rows(caller).stream().map(ConsoleServlet::json).toList());
        }
        if (action.matches()) {
            UUID id = id(action.group(1));
            return json(action.group(2).equals("start") ? board.start(caller, id) : board.stop(caller, id));
        }
        UUID id = id(one.group(1));
        if (method.equals("GET")) {
            Map<String, Object> m = json(board.row(caller, id));
            m.put("xaml", board.xaml(caller, id));
            return m;
        }
        JsonNode body = body(req);
        return json(board.edit(caller, id, text(body, "name"), text(body, "description"), text(body, "xaml")));
    }

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] bytes = req.getInputStream().readAllBytes();
        JsonNode body;
        try {
            body = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The request body is not valid JSON.");
        }
        if (body == null || !body.isObject()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Send a JSON object with \"name\", \"description\" and/or \"xaml\".");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"" + field + "\" must be a string.");
        }
        return v.asText();
    }

    private static UUID id(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not a valid workflow id (a GUID).");
        }
    }

    private static Map<String, Object> json(WorkflowBoard.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workflowid", r.id().toString());
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("primaryentity", r.primaryEntity());
        m.put("mode", r.mode());
        m.put("status", r.status());
        m.put("statecode", r.statecode());
        m.put("backlog", r.backlog());
        m.put("pending", r.pending() != null);
        PendingChange p = r.pending();
        if (p != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", p.name());
            c.put("description", p.description());
            c.put("changedon", p.changedOn() == null ? null : p.changedOn().toString());
            c.put("changedby", p.changedBy() == null ? null : p.changedBy().toString());
            m.put("pendingChange", c);
        }
        m.put("problem", r.problem());
        return m;
    }

    private static void error(HttpServletResponse resp, int status, ErrorCode code, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json; charset=utf-8");
        resp.getOutputStream().write(DataverseErrorProcessor.errorBody(code.hex(), message));
    }
}
