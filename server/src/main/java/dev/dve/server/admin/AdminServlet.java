package dev.dve.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.server.odata.DataverseErrorProcessor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The emulator-only API under {@code /admin/}: a route table of small tasks, each one method and path. */
public final class AdminServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, AdminTask> routes = new LinkedHashMap<>();
    private final java.util.Set<String> open = new java.util.HashSet<>();
    private java.util.function.Consumer<HttpServletRequest> guard = req -> { };

    /** Checks every request but the open routes; throws a DataverseFault to refuse. */
    public AdminServlet guard(java.util.function.Consumer<HttpServletRequest> g) {
        this.guard = g;
        return this;
    }

    /** A route that needs no admin token (health). */
    public AdminServlet addOpen(String method, String path, AdminTask task) {
        open.add(method + " " + path);
        return add(method, path, task);
    }

    public AdminServlet add(String method, String path, AdminTask task) {
        routes.put(method + " " + path, task);
        return this;
    }

    /** Whether a path under {@code /admin} (e.g. {@code /clock}) is one of the routes, by any method. */
    public boolean knows(String path) {
        return routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        AdminTask task = routes.get(req.getMethod() + " " + path);
        resp.setContentType("application/json");
        if (task == null) {
            boolean known = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
            error(resp, known ? 405 : 404, known ? ErrorCode.METHOD_NOT_ALLOWED : ErrorCode.RESOURCE_NOT_FOUND,
                    known ? "The method " + req.getMethod() + " is not allowed on /admin" + path + "." : "Resource not found for the segment '" + path + "'.");
            return;
        }
        if (!open.contains(req.getMethod() + " " + path)) {
            try {
                guard.accept(req);
            } catch (DataverseFault f) {
                error(resp, f.httpStatus(), f.code(), f.getMessage());
                return;
            }
        }
        JsonNode body;
        try {
            byte[] bytes = req.getInputStream().readAllBytes();
            body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            error(resp, 400, ErrorCode.INVALID_ARGUMENT, "The request body is not valid JSON.");
            return;
        }
        try {
            AdminResponse r = task.handle(body);
            resp.setStatus(r.status());
            if (r.contentType() != null) {
                resp.setContentType(r.contentType());
                resp.getOutputStream().write(String.valueOf(r.body()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            JSON.writeValue(resp.getOutputStream(), r.body());
        } catch (DataverseFault f) {
            error(resp, f.httpStatus(), f.code(), f.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Admin task failed", e);
            error(resp, 500, ErrorCode.UNEXPECTED, "An unexpected error occurred: " + e.getMessage());
        }
    }

    private static void error(HttpServletResponse resp, int status, ErrorCode code, String message) throws IOException {
        resp.setStatus(status);
        resp.getOutputStream().write(DataverseErrorProcessor.errorBody(code.hex(), message));
    }
}
