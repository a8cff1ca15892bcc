package dev.dve.server;

import dev.dve.auth.CallerContext;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.server.auth.Authority;
import dev.dve.server.auth.BearerAuthenticator;
import dev.dve.server.auth.TokenEndpointServlet;
import dev.dve.engine.OrganizationRuntime;
import dev.dve.server.admin.AdminRoutes;
import dev.dve.server.odata.ODataServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * One emulator node: the organization runtime behind Jetty, with the Web API at {@code /api/data/} and the
 * admin API at {@code /admin/}. Start it from the command line ({@link EmulatorMain}) or embed it in tests.
 */
public final class EmulatorServer implements AutoCloseable {
    /**
     * The largest request body read (32 MB): a $batch of 1 000 requests with ordinary records stays far below it,
     * and a larger body is refused with 413 before it is buffered rather than held in memory whole.
     */
    static final long MAX_REQUEST_BODY = 32L * 1024 * 1024;
    private final EmulatorConfig config;
    private final String nodeId;
    private OrganizationRuntime runtime;
    private Server jetty;
    private ServerConnector connector;
    private Authority authority;
    private dev.dve.server.ops.EmulatorMetrics metrics;

    public EmulatorServer(EmulatorConfig config) {
        this.config = config;
        this.nodeId = config.effectiveNodeId();
    }

    public EmulatorServer start() throws Exception {
        runtime = new OrganizationRuntime(config.runtimeConfig(nodeId));
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        authority = new Authority(config.url(), connector::getLocalPort);
        // the user a request runs as goes into the request log and the MDC
        CallerResolver bearer = dev.dve.server.ops.RequestTelemetry.recordingCallers(new BearerAuthenticator(runtime, authority));
        context.addServlet(new ServletHolder("odata", new ODataServlet(runtime, bearer, req -> authority.challenge())), "/api/data/*");
        java.util.function.Consumer<jakarta.servlet.http.HttpServletRequest> adminOnly = req -> {
            if (!config.loopbackOnly()) {
                CallerContext caller = bearer.resolve(req);
                if (!runtime.service().isSystemAdministrator(caller)) {
                    throw new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "The admin API needs a System Administrator token.");
                }
            }
        };
        dev.dve.server.admin.AdminServlet admin = AdminRoutes.servlet(runtime, nodeId).guard(adminOnly);
        context.addServlet(new ServletHolder("admin", admin), "/admin/*");
        metrics = new dev.dve.server.ops.EmulatorMetrics(nodeId, runtime.async());
        runtime.async().observe(metrics);
        context.addServlet(new ServletHolder("metrics", new dev.dve.server.ops.MetricsServlet(metrics, adminOnly)), "/metrics");
        context.addServlet(new ServletHolder("tenant", new TokenEndpointServlet(runtime, authority)), "/");
        context.setErrorHandler(new DataverseErrorPage());
        jetty.setErrorHandler(new DataverseErrorPage());
        SizeLimitHandler bodyLimit = new SizeLimitHandler(MAX_REQUEST_BODY, -1);
        bodyLimit.setHandler(context);
        // outermost: request ids, the MDC, the request log and the request metrics see every answer, errors included
        dev.dve.server.ops.RequestTelemetry telemetry = new dev.dve.server.ops.RequestTelemetry(metrics,
                new dev.dve.server.ops.RouteTemplate(set -> runtime.catalog().byEntitySet(set).isPresent(), admin::knows));
        telemetry.setHandler(bodyLimit);
        jetty.setHandler(telemetry);
        try {
            jetty.start();
        } catch (Exception e) {
            runtime.close();
            throw e;
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL clients use, e.g. {@code http://localhost:5555}. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** The organization URL: {@code --url}, or the base URL. */
    public String organizationUrl() {
        return authority.organizationUrl();
    }

    public String nodeId() {
        return nodeId;
    }

    public OrganizationRuntime runtime() {
        return runtime;
    }

    /** This node's metrics, as {@code GET /metrics} shows them. */
    public dev.dve.server.ops.EmulatorMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
