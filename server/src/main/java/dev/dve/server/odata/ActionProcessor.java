package dev.dve.server.odata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.PayloadReader;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ActionComplexProcessor;
import org.apache.olingo.server.api.processor.ActionEntityProcessor;
import org.apache.olingo.server.api.processor.ActionVoidProcessor;
import dev.dve.engine.workflow.WorkflowEngine;
import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.record.EntityReference;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceAction;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;

import java.util.List;
import java.util.UUID;

/**
 * Actions: {@code workflows(<id>)/Microsoft.Dynamics.CRM.ExecuteWorkflow}, {@code BulkDelete}, and the custom actions that activated
 * category-3 workflows define, bound ({@code accounts(<id>)/Microsoft.Dynamics.CRM.<name>}) or unbound ({@code <name>}).
 */
final class ActionProcessor extends DataverseProcessor implements ActionEntityProcessor, ActionComplexProcessor, ActionVoidProcessor {

    ActionProcessor(RequestScope scope) {
        super(scope);
    }

    @Override
    public void processActionEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        UriResource last = parts.get(parts.size() - 1);
        if (!(last instanceof UriResourceAction a) || !CatalogEdmProvider.EXECUTE_WORKFLOW.equals(a.getAction().getName())
                || !(parts.get(0) instanceof UriResourceEntitySet set)) {
            throw new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + last.getSegmentValue() + "'.");
        }
        EntityMetadata workflow = entity(set);
        UUID workflowId = key(workflow, set.getKeyPredicates());
        JsonNode body = scope.payloads().parse("workflows", body(request));
        JsonNode entityId = body.path("EntityId");
        if (!entityId.isTextual()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: EntityId is required.");
        }
        UUID target;
        try {
            target = PayloadReader.parseGuid(entityId.asText());
        } catch (IllegalArgumentException e) {
            throw DataverseFault.payload("workflows", "Microsoft.OData.ODataException: Cannot convert the literal '" + entityId.asText()
                    + "' to the expected type 'Edm.Guid'.");
        }
        UUID job = scope.runtime().workflowExecution().execute(scope.caller(), workflowId, target);
        String context = request.getRawBaseUri() + "/$metadata#asyncoperations/$entity";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeStringField("asyncoperationid", job.toString());
            g.writeStringField("Id", job.toString());
        });
    }

    @Override
    public void processActionComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        if (CatalogEdmProvider.BULK_DELETE.equals(actionName(uriInfo)) && !(uriInfo.getUriResourceParts().get(0) instanceof UriResourceEntitySet)) {
            bulkDelete(request, response);
            return;
        }
        Map<String, Object> outputs = customAction(request, uriInfo);
        String name = actionName(uriInfo);
        String context = request.getRawBaseUri() + "/$metadata#Microsoft.Dynamics.CRM." + name + "Response";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            for (Map.Entry<String, Object> o : outputs.entrySet()) {
                g.writeFieldName(o.getKey());
                Object v = o.getValue();
                RecordJsonWriter.writeValue(g, v instanceof EntityReference r ? r.id() : v);
            }
        });
    }

    @Override
    public void processActionVoid(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat) {
        String name = actionName(uriInfo);
        if (SHARING.contains(name) && !(uriInfo.getUriResourceParts().get(0) instanceof UriResourceEntitySet)) {
            share(name, request);
        } else {
            customAction(request, uriInfo);
        }
        response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
        response.setHeader("OData-Version", "4.0");
    }

    /** BulkDelete: the parameters read and typed here; the engine checks the privilege and the queries and queues the job. */
    private void bulkDelete(ODataRequest request, ODataResponse response) {
        String name = CatalogEdmProvider.BULK_DELETE;
        String text = body(request);
        JsonNode body = scope.payloads().parse(name, text.isBlank() ? "{}" : text);
        for (String flag : List.of("SendEmailNotification", "RunNow")) {
            JsonNode v = body.path(flag);
            if (!v.isMissingNode() && !v.isNull() && !v.isBoolean()) {
                throw DataverseFault.payload(name, "Microsoft.OData.ODataException: Cannot convert the literal '" + v.asText()
                        + "' to the expected type 'Edm.Boolean' of parameter '" + flag + "'.");
            }
        }
        for (String list : List.of("ToRecipients", "CCRecipients")) {
            JsonNode v = body.path(list);
            if (!v.isMissingNode() && !v.isNull() && !v.isArray()) {
                throw DataverseFault.payload(name, "Microsoft.OData.ODataException: The parameter '" + list + "' must be a collection.");
            }
        }
        JsonNode jobName = body.path("JobName");
        if (!jobName.isMissingNode() && !jobName.isNull() && !jobName.isTextual()) {
            throw DataverseFault.payload(name, "Microsoft.OData.ODataException: Cannot convert the literal '" + jobName
                    + "' to the expected type 'Edm.String' of parameter 'JobName'.");
        }
        java.time.Instant start = null;
        JsonNode startNode = body.path("StartDateTime");
        if (!startNode.isMissingNode() && !startNode.isNull()) {
            try {
                start = PayloadReader.parseDateTime(startNode.asText());
            } catch (RuntimeException e) {
                throw DataverseFault.payload(name, "Microsoft.OData.ODataException: Cannot convert the literal '" + startNode.asText()
                        + "' to the expected type 'Edm.DateTimeOffset' of parameter 'StartDateTime'.");
            }
        }
        JsonNode recurrence = body.path("RecurrencePattern");
        var submitted = new dev.dve.engine.bulkdelete.BulkDeleteSubmission.Request(body.get("QuerySet"),
                jobName.isTextual() ? jobName.asText() : null, start, recurrence.isTextual() ? recurrence.asText() : null);
        UUID job = scope.runtime().bulkDelete().submit(scope.caller(), submitted);
        String context = request.getRawBaseUri() + "/$metadata#Microsoft.Dynamics.CRM." + name + "Response";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeStringField("JobId", job.toString());
        });
    }

    private static final java.util.Set<String> SHARING = java.util.Set.of(CatalogEdmProvider.GRANT_ACCESS,
            CatalogEdmProvider.MODIFY_ACCESS, CatalogEdmProvider.REVOKE_ACCESS);

    /** GrantAccess, ModifyAccess, RevokeAccess: the parameters read here; the engine checks and writes the share. */
    private void share(String name, ODataRequest request) {
        String text = body(request);
        JsonNode body = scope.payloads().parse(name, text.isBlank() ? "{}" : text);
        RecordReferenceJson refs = new RecordReferenceJson(scope.runtime().catalog());
        EntityReference target = refs.read(name, "Target", body.get("Target"));
        var sharing = scope.runtime().sharing();
        if (name.equals(CatalogEdmProvider.REVOKE_ACCESS)) {
            sharing.revoke(scope.caller(), target, refs.read(name, "Revokee", body.get("Revokee")));
            return;
        }
        JsonNode access = body.get("PrincipalAccess");
        if (access == null || access.isNull()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: PrincipalAccess is required.");
        }
        if (!access.isObject()) {
            throw DataverseFault.payload(name, "Microsoft.OData.ODataException: The parameter 'PrincipalAccess' must be a "
                    + "Microsoft.Dynamics.CRM.PrincipalAccess object.");
        }
        EntityReference principal = refs.read(name, "Principal", access.get("Principal"));
        int mask = accessMask(name, access.get("AccessMask"));
        if (name.equals(CatalogEdmProvider.GRANT_ACCESS)) {
            sharing.grant(scope.caller(), target, principal, mask);
        } else {
            sharing.modify(scope.caller(), target, principal, mask);
        }
    }

    /** An {@code AccessRights} value: the member names ("ReadAccess, WriteAccess") or the number. */
    private static int accessMask(String action, JsonNode v) {
        if (v == null || v.isNull()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: AccessMask is required.");
        }
        Integer mask = v.isTextual() || v.isIntegralNumber() ? dev.dve.auth.security.AccessRight.parseMask(v.asText()) : null;
        if (mask == null) {
            throw DataverseFault.payload(action, "Microsoft.OData.ODataException: The value '" + (v.isTextual() ? v.asText() : v.toString())
                    + "' is not a valid member of the enumeration type 'Microsoft.Dynamics.CRM.AccessRights'.");
        }
        return mask;
    }

    private static String actionName(UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        return ((UriResourceAction) parts.get(parts.size() - 1)).getAction().getName();
    }

    private Map<String, Object> customAction(ODataRequest request, UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        String name = actionName(uriInfo);
        WorkflowEngine.ActionSignature signature = scope.runtime().workflows().actions().stream()
                .filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + name + "'."));
        EntityReference target = null;
        if (parts.get(0) instanceof UriResourceEntitySet set) {
            EntityMetadata e = entity(set);
            target = new EntityReference(e.logicalName(), key(e, set.getKeyPredicates()));
        }
        String text = body(request);
        JsonNode body = text.isBlank() ? scope.payloads().parse(name, "{}") : scope.payloads().parse(name, text);
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (WorkflowDefinition.Argument a : signature.inputs()) {
            JsonNode v = body.get(a.name());
            if (v == null || v.isNull()) {
                if (a.required()) {
                    throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: " + a.name() + " is required.");
                }
                continue;
            }
            inputs.put(a.name(), argument(name, a, v));
        }
        return scope.runtime().workflows().executeAction(scope.caller(), name, target, inputs);
    }

    private static Object argument(String action, WorkflowDefinition.Argument a, JsonNode v) {
        try {
            return switch (CatalogEdmProvider.edmType(a.type())) {
                case Int32 -> {
                    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                        throw new IllegalArgumentException();
                    }
                    yield v.intValue();
                }
                case Boolean -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException();
                    }
                    yield v.booleanValue();
                }
                case Decimal -> new java.math.BigDecimal(v.asText());
                case Double -> {
                    if (!v.isNumber()) {
                        throw new IllegalArgumentException();
                    }
                    yield v.doubleValue();
                }
                case DateTimeOffset -> PayloadReader.parseDateTime(v.asText());
                case Guid -> PayloadReader.parseGuid(v.asText());
                default -> v.isTextual() ? v.asText() : v.toString();
            };
        } catch (RuntimeException e) {
            throw DataverseFault.payload(action, "Microsoft.OData.ODataException: Cannot convert the literal '" + v.asText()
                    + "' to the expected type '" + CatalogEdmProvider.edmType(a.type()).getFullQualifiedName() + "' of parameter '" + a.name() + "'.");
        }
    }
}
