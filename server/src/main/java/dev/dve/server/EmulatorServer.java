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
import dev.dve.server.admin.TlsCertificateTask;
import dev.dve.server.tls.HttpsListener;
import dev.dve.server.tls.ServerCertificate;
import dev.dve.server.tls.SharedCertificate;
import dev.dve.store.SchemaBuilder;
import dev.dve.store.platform.TlsCertificateTable;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * One emulator node: the organization runtime behind Jetty, with the Web API at {@code /api/data/} and the
 * admin API at {@code /admin/}, on the HTTP port and (unless off) the HTTPS port alike. Start it from the command
 * line ({@link EmulatorMain}) or embed it in tests.
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
    private ServerConnector httpsConnector;
    private ServerCertificate certificate;
    private Authority authority;
    private dev.dve.server.ops.EmulatorMetrics metrics;

    public EmulatorServer(EmulatorConfig config) {
        this.config = config;
        this.nodeId = config.effectiveNodeId();
    }

    public EmulatorServer start() throws Exception {
        EmulatorConfig.Tls tls = config.https();
        // given PEM files are read before anything starts: a bad one stops the node with a message naming it
        ServerCertificate given = tls.enabled() && tls.certificate() != null ? ServerCertificate.read(tls.certificate(), tls.privateKey()) : null;
        runtime = new OrganizationRuntime(config.runtimeConfig(nodeId));
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        if (tls.enabled()) {
            try {
                certificate = given != null ? given : SharedCertificate.obtain(
                        new TlsCertificateTable(runtime.database(), new SchemaBuilder(runtime.catalog(), runtime.database())),
                        certificateHosts(), java.time.Clock.systemUTC());
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
            httpsConnector = HttpsListener.connector(jetty, certificate, config.host(), Math.max(0, tls.httpsPort()));
            jetty.addConnector(httpsConnector);
        }
        ServletContextHandler context = new ServletContextHandler("/");
        authority = new Authority(config.url(), connector::getLocalPort, this::httpsPort);
        // the user a request runs as goes into the request log and the MDC
        CallerResolver bearer = dev.dve.server.ops.RequestTelemetry.recordingCallers(new BearerAuthenticator(runtime, authority));
        dev.dve.server.throttling.ServiceProtection protection = new dev.dve.server.throttling.ServiceProtection(config.limits(),
                runtime.faults(), runtime::now, System::nanoTime);
        context.addServlet(new ServletHolder("odata", new ODataServlet(runtime, bearer, req -> authority.challenge(req.isSecure()), protection)), "/api/data/*");
        java.util.function.Consumer<jakarta.servlet.http.HttpServletRequest> adminOnly = req -> {
            if (!config.loopbackOnly()) {
                CallerContext caller = bearer.resolve(req);
                if (!runtime.service().isSystemAdministrator(caller)) {
                    throw new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "The admin API needs a System Administrator token.");
                }
            }
        };
        dev.dve.server.admin.AdminServlet admin = AdminRoutes.servlet(runtime, nodeId, protection)
                .addOpen("GET", "/tls/certificate", new TlsCertificateTask(() -> certificate)).guard(adminOnly);
        context.addServlet(new ServletHolder("admin", admin), "/admin/*");
        context.addServlet(new ServletHolder("console", console(bearer)), "/console/*");
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

    /**
     * The web console behind the admin API's gate: on loopback it runs as the fixtures' System Administrator
     * ({@code admin@emulator.local}) unless a token is sent; elsewhere it needs a token. A token must be a System
     * Administrator's (on loopback too), and the console then runs as its user.
     */
    private dev.dve.server.console.ConsoleServlet console(CallerResolver bearer) {
        dev.dve.store.platform.ConsolePendingChangeTable pending = new dev.dve.store.platform.ConsolePendingChangeTable(runtime.database(),
                new SchemaBuilder(runtime.catalog(), runtime.database()));
        runtime.onReset(pending::clear);
        CallerResolver callers = req -> {
            if (config.loopbackOnly() && req.getHeader("Authorization") == null) {
                // not SYSTEM: the platform's own writes skip the workflow rules (activation checks, locked definitions)
                dev.dve.record.Entity admin = runtime.principals().byId(dev.dve.auth.WellKnownPrincipals.ADMIN_USER)
                        .orElseThrow(() -> new DataverseFault(ErrorCode.PRIVILEGE_DENIED,
                                "The organization has no admin@emulator.local user: send a System Administrator's token."));
                return new CallerContext(admin.id(), ((dev.dve.record.EntityReference) admin.get("businessunitid")).id());
            }
            CallerContext caller = bearer.resolve(req);
            if (!runtime.service().isSystemAdministrator(caller)) {
                throw new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "The console needs a System Administrator token.");
            }
            return caller;
        };
        return new dev.dve.server.console.ConsoleServlet(new dev.dve.server.console.WorkflowBoard(runtime.service(), pending, runtime::now), callers);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL clients use, e.g. {@code http://localhost:5555}. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** The HTTPS port, or 0 when this node serves no HTTPS. */
    public int httpsPort() {
        return httpsConnector == null ? 0 : httpsConnector.getLocalPort();
    }

    /** The HTTPS base URL, e.g. {@code https://localhost:5556}; null when this node serves no HTTPS. */
    public String httpsBaseUrl() {
        return httpsConnector == null ? null : "https://localhost:" + httpsPort();
    }

    /** The certificate the HTTPS port serves; null when this node serves no HTTPS. */
    public ServerCertificate certificate() {
        return certificate;
    }

    /** The names a generated certificate covers: the loopback names, and the hosts of {@code --url} and {@code --host}. */
    private java.util.List<String> certificateHosts() {
        java.util.List<String> hosts = new java.util.ArrayList<>(java.util.List.of("localhost", "127.0.0.1", "::1"));
        if (config.url() != null) {
            try {
                String host = java.net.URI.create(config.url().trim()).getHost();
                if (host != null) {
                    hosts.add(host);
                }
            } catch (IllegalArgumentException ignored) {
                // not a URL: the token audience code reports it; the certificate keeps the loopback names
            }
        }
        if (!config.host().equals("0.0.0.0") && !config.host().equals("::") && !config.host().isBlank()) {
            hosts.add(config.host());
        }
        return hosts;
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
