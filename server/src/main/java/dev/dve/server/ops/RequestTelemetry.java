package dev.dve.server.ops;

import dev.dve.auth.CallerContext;
import dev.dve.server.CallerResolver;
import io.micrometer.core.instrument.Clock;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The outermost handler: gives every request an id, answers it in Dataverse's {@code REQ_ID} and
 * {@code x-ms-service-request-id} headers, takes the client's correlation id ({@code x-ms-correlation-request-id},
 * else {@code x-ms-client-request-id}, else {@code client-request-id}; else the request id), puts both in the logging
 * MDC for every line logged while the request is handled, and when the answer is done records it in the metrics and
 * writes one request-log line (method, route template, status, duration, user).
 */
public final class RequestTelemetry extends Handler.Wrapper {
    public static final String REQUEST_ID_HEADER = "REQ_ID";
    public static final String SERVICE_REQUEST_ID_HEADER = "x-ms-service-request-id";
    /** The request headers a client may name its correlation id with, first found wins. */
    public static final List<String> CORRELATION_HEADERS = List.of("x-ms-correlation-request-id", "x-ms-client-request-id", "client-request-id");
    /** MDC keys. */
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_CORRELATION_ID = "correlationId";
    public static final String MDC_USER_ID = "userId";
    /** The logger of the one-line-per-request log. */
    public static final String REQUEST_LOG = "dev.dve.server.requests";
    private static final Logger LOG = LoggerFactory.getLogger(REQUEST_LOG);
    private static final String TRACE = RequestTrace.class.getName();
    /** A client's id goes into log lines: only short ids of harmless characters are taken (GUIDs and the like). */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:{}-]{1,128}");
    private final EmulatorMetrics metrics;
    private final RouteTemplate routes;
    private final Clock clock = Clock.SYSTEM;

    public RequestTelemetry(EmulatorMetrics metrics, RouteTemplate routes) {
        this.metrics = metrics;
        this.routes = routes;
    }

    /** What is known of one request while it is handled; the user is filled in once the caller is known. */
    static final class RequestTrace {
        final String requestId;
        final String correlationId;
        volatile String userId;

        RequestTrace(String requestId, String correlationId) {
            this.requestId = requestId;
            this.correlationId = correlationId;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = clock.monotonicTime();
        String requestId = UUID.randomUUID().toString();
        String correlationId = correlation(request);
        RequestTrace t = new RequestTrace(requestId, correlationId == null ? requestId : correlationId);
        request.setAttribute(TRACE, t);
        response.getHeaders().put(REQUEST_ID_HEADER, t.requestId);
        response.getHeaders().put(SERVICE_REQUEST_ID_HEADER, t.requestId);
        String method = request.getMethod();
        String route = route(request);
        // recorded once, however the answer ends: completed, failed, or thrown out of the handlers
        java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.IntConsumer complete = status -> {
            if (recorded.compareAndSet(false, true)) {
                completed(t, method, route, status, started);
            }
        };
        Callback done = new Callback() {
            @Override
            public void succeeded() {
                complete.accept(response.getStatus());
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                complete.accept(response.isCommitted() ? response.getStatus() : 500);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        MDC.put(MDC_REQUEST_ID, t.requestId);
        MDC.put(MDC_CORRELATION_ID, t.correlationId);
        try {
            boolean handled = super.handle(request, response, done);
            if (!handled) {
                // Jetty answers 404 itself and never completes our callback
                complete.accept(404);
            }
            return handled;
        } catch (Exception | Error e) {
            // Jetty answers 500 for a handler that throws
            complete.accept(500);
            throw e;
        } finally {
            MDC.remove(MDC_REQUEST_ID);
            MDC.remove(MDC_CORRELATION_ID);
            MDC.remove(MDC_USER_ID);
        }
    }

    private String route(Request request) {
        try {
            return routes.of(request.getHttpURI().getDecodedPath());
        } catch (RuntimeException badlyEncoded) {
            return RouteTemplate.UNMATCHED;
        }
    }

    private static String correlation(Request request) {
        for (String name : CORRELATION_HEADERS) {
            String v = request.getHeaders().get(name);
            if (v != null && SAFE_ID.matcher(v.trim()).matches()) {
                return v.trim();
            }
        }
        return null;
    }

    private void completed(RequestTrace t, String method, String route, int status, long started) {
        Duration took = Duration.ofNanos(clock.monotonicTime() - started);
        metrics.requestCompleted(method, route, status, took);
        // the answer may complete on another thread than the one that handled it: the ids go with the line
        Map<String, String> before = MDC.getCopyOfContextMap();
        try {
            MDC.put(MDC_REQUEST_ID, t.requestId);
            MDC.put(MDC_CORRELATION_ID, t.correlationId);
            if (t.userId != null) {
                MDC.put(MDC_USER_ID, t.userId);
            }
            org.slf4j.spi.LoggingEventBuilder line = LOG.atInfo().addKeyValue("method", method).addKeyValue("route", route)
                    .addKeyValue("status", status).addKeyValue("durationMs", took.toMillis());
            if (t.userId != null) {
                line = line.addKeyValue("userId", t.userId);
            }
            line.log("{} {} {} {} ms", method, route, status, took.toMillis());
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    /**
     * Wraps a caller resolver so the request log and every line logged afterwards carry the id of the user the request
     * runs as.
     */
    public static CallerResolver recordingCallers(CallerResolver callers) {
        return req -> {
            CallerContext caller = callers.resolve(req);
            String user = caller.userId() == null ? null : caller.userId().toString();
            if (req.getAttribute(TRACE) instanceof RequestTrace t) {
                t.userId = user;
            }
            if (user != null) {
                MDC.put(MDC_USER_ID, user);
            }
            return caller;
        };
    }
}
