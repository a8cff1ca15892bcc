package dev.dve.server.odata;

import dev.dve.engine.OrganizationRuntime;
import dev.dve.engine.workflow.WorkflowEngine;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.payload.PayloadReader;
import dev.dve.server.CallerResolver;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataHttpHandler;
import org.apache.olingo.server.api.ServiceMetadata;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Web API at {@code /api/data/v<version>/}: every version segment is served by the same service. The OData
 * metadata is built once; each request gets Olingo's handler with processors bound to its caller.
 */
public final class ODataServlet extends HttpServlet {
    private static final Pattern VERSION = Pattern.compile("^/v\\d+(\\.\\d+)*(/.*)?$");
    private final OrganizationRuntime runtime;
    private final CallerResolver callers;
    private final OData odata = OData.newInstance();
    private volatile MetadataSnapshot metadata;
    private final PayloadReader payloads;
    private final RecordJsonWriter writer;

    private final java.util.function.Function<HttpServletRequest, String> challenge;
    private final dev.dve.server.throttling.ServiceProtection protection;

    /**
     * @param challenge the {@code WWW-Authenticate} value of a 401 for a request (null: none)
     */
    public ODataServlet(OrganizationRuntime runtime, CallerResolver callers, java.util.function.Function<HttpServletRequest, String> challenge) {
        this(runtime, callers, challenge, null);
    }

    /**
     * @param protection the service protection limits and injected 429s applied per caller after authentication (null: none)
     */
    public ODataServlet(OrganizationRuntime runtime, CallerResolver callers, java.util.function.Function<HttpServletRequest, String> challenge,
                        dev.dve.server.throttling.ServiceProtection protection) {
        this.protection = protection;
        this.runtime = runtime;
        this.callers = callers;
        this.challenge = challenge;
        this.metadata = snapshot(List.of());
        this.payloads = new PayloadReader(runtime.catalog());
        this.writer = new RecordJsonWriter("$");
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (!VERSION.matcher(path).matches()) {
            resp.setStatus(404);
            resp.setContentType(DataverseProcessor.JSON_CONTENT_TYPE);
            resp.getOutputStream().write(DataverseErrorProcessor.errorBody(ErrorCode.RESOURCE_NOT_FOUND.hex(),
                    "Resource not found for the segment '" + path + "'."));
            return;
        }
        RequestScope scope;
        dev.dve.server.throttling.ServiceProtection.Admission admission = null;
        try {
            scope = new RequestScope(runtime, callers.resolve(req), payloads, writer);
            ProtocolHeaders.check(req::getHeader, java.util.Collections.list(req.getHeaders("Accept")));
            QueryLimits.check(req.getQueryString());
            if (protection != null) {
                // a $batch is one request here, as in Dataverse: its operations count only through its execution time
                admission = protection.admit(scope.caller().onBehalfOf() != null ? scope.caller().onBehalfOf() : scope.caller().userId());
            }
        } catch (DataverseFault f) {
            if (f.httpStatus() == 401 && challenge != null) {
                resp.setHeader("WWW-Authenticate", challenge.apply(req));
            }
            if (f instanceof dev.dve.server.throttling.ServiceProtectionFault t) {
                resp.setHeader("Retry-After", String.valueOf(t.retryAfterSeconds()));
            }
            resp.setStatus(f.httpStatus());
            resp.setContentType(DataverseProcessor.JSON_CONTENT_TYPE);
            resp.setHeader("OData-Version", "4.0");
            resp.getOutputStream().write(DataverseErrorProcessor.errorBody(f.code().hex(), f.getMessage()));
            return;
        }
        if (admission == null) {
            process(scope, req, resp, path);
            return;
        }
        try (dev.dve.server.throttling.ServiceProtection.Admission running = admission) {
            if (running.remainingRequests() >= 0) {
                resp.setHeader("x-ms-ratelimit-burst-remaining-xrm-requests", String.valueOf(running.remainingRequests()));
            }
            process(scope, req, resp, path);
        }
    }

    private void process(RequestScope scope, HttpServletRequest req, HttpServletResponse resp, String path) throws IOException {
        MetadataSnapshot snapshot = currentSnapshot();
        ODataHttpHandler handler = odata.createHandler(snapshot.metadata());
        handler.register(new MetadataDocumentWriter(snapshot.document()));
        handler.setSplit(1);
        handler.register(new EntityRecordProcessor(scope));
        handler.register(new FunctionProcessor(scope));
        handler.register(new ServiceDocumentWriter(scope));
        handler.register(new ActionProcessor(scope));
        handler.register(new BatchRequestProcessor(scope));
        handler.register(new ReferenceRequestProcessor(scope));
        handler.register(new PropertyValueProcessor(scope));
        handler.register(new DataverseErrorProcessor());
        handler.register(new StreamingContentTypes());
        handler.process(withFunctionParentheses(ParameterAliases.normalize(CollectionLiterals.normalize(req)), path), resp);
    }

    /** The CSDL with one set of custom actions; rebuilt when the activated actions change. */
    private record MetadataSnapshot(List<WorkflowEngine.ActionSignature> actions, ServiceMetadata metadata, ServiceMetadata document) {
    }

    private MetadataSnapshot snapshot(List<WorkflowEngine.ActionSignature> actions) {
        return new MetadataSnapshot(actions, odata.createServiceMetadata(new CatalogEdmProvider(runtime.catalog(), actions), List.of()),
                odata.createServiceMetadata(new CatalogEdmProvider(runtime.catalog(), actions, true), List.of()));
    }

    private MetadataSnapshot currentSnapshot() {
        List<WorkflowEngine.ActionSignature> actions = runtime.workflows().actions();
        MetadataSnapshot s = metadata;
        if (!s.actions().equals(actions)) {
            s = snapshot(actions);
            metadata = s;
        }
        return s;
    }

    /**
     * Adapts what clients send to what Olingo expects: {@code WhoAmI} without {@code ()} gets its parentheses, and
     * {@code $metadata} is always CSDL XML, whatever the Accept header says (as Dataverse answers it).
     */
    private static HttpServletRequest withFunctionParentheses(HttpServletRequest req, String path) {
        int slash = path.indexOf('/', 1);
        String rest = slash < 0 ? "" : path.substring(slash + 1);
        if (rest.equals("$metadata")) {
            return new HttpServletRequestWrapper(req) {
                @Override
                public String getHeader(String name) {
                    return "Accept".equalsIgnoreCase(name) ? "application/xml" : super.getHeader(name);
                }

                @Override
                public java.util.Enumeration<String> getHeaders(String name) {
                    return "Accept".equalsIgnoreCase(name) ? java.util.Collections.enumeration(List.of("application/xml")) : super.getHeaders(name);
                }
            };
        }
        if (!rest.equals(CatalogEdmProvider.WHOAMI)) {
            return req;
        }
        return new HttpServletRequestWrapper(req) {
            @Override
            public String getRequestURI() {
                return super.getRequestURI() + "()";
            }

            @Override
            public StringBuffer getRequestURL() {
                return new StringBuffer(super.getRequestURL()).append("()");
            }

            @Override
            public String getPathInfo() {
                return super.getPathInfo() + "()";
            }
        };
    }
}
