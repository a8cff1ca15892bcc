package dev.dve.server.ops;

import dev.dve.fault.DataverseFault;
import dev.dve.server.odata.DataverseErrorProcessor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** {@code GET /metrics}: the node's metrics in the Prometheus text format, behind the same gate as the admin API. */
public final class MetricsServlet extends HttpServlet {
    private final EmulatorMetrics metrics;
    private final Consumer<HttpServletRequest> guard;

    /** @param guard throws a DataverseFault to refuse a request, as the admin API's guard does */
    public MetricsServlet(EmulatorMetrics metrics, Consumer<HttpServletRequest> guard) {
        this.metrics = metrics;
        this.guard = guard;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            error(resp, 404, dev.dve.fault.ErrorCode.RESOURCE_NOT_FOUND.hex(), "Resource not found for the segment '" + path + "'.");
            return;
        }
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            error(resp, 405, dev.dve.fault.ErrorCode.METHOD_NOT_ALLOWED.hex(), "The method " + req.getMethod() + " is not allowed on /metrics.");
            return;
        }
        try {
            guard.accept(req);
        } catch (DataverseFault f) {
            error(resp, f.httpStatus(), f.code().hex(), f.getMessage());
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(EmulatorMetrics.CONTENT_TYPE);
        resp.setContentLength(body.length);
        if (req.getMethod().equals("GET")) {
            resp.getOutputStream().write(body);
        }
    }

    private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.getOutputStream().write(DataverseErrorProcessor.errorBody(code, message));
    }
}
