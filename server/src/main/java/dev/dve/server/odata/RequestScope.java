package dev.dve.server.odata;

import dev.dve.auth.CallerContext;
import dev.dve.engine.OrganizationRuntime;
import dev.dve.payload.PayloadReader;

/** What every OData processor of one request shares: the organization and who is calling. */
public record RequestScope(OrganizationRuntime runtime, CallerContext caller, PayloadReader payloads, RecordJsonWriter writer,
                           java.util.Map<String, String> contentIds) {
    public RequestScope(OrganizationRuntime runtime, CallerContext caller, PayloadReader payloads, RecordJsonWriter writer) {
        this(runtime, caller, payloads, writer, new java.util.concurrent.ConcurrentHashMap<>());
    }
}
