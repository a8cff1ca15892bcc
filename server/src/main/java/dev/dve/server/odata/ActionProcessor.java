package dev.dve.server.odata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.engine.workflow.WorkflowExecution;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.PayloadReader;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ActionEntityProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceAction;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;

import java.util.List;
import java.util.UUID;

/** Actions that answer an entity: {@code workflows(<id>)/Microsoft.Dynamics.CRM.ExecuteWorkflow}. */
final class ActionProcessor extends DataverseProcessor implements ActionEntityProcessor {

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
        UUID job = new WorkflowExecution(service()).execute(scope.caller(), workflowId, target);
        String context = request.getRawBaseUri() + "/$metadata#asyncoperations/$entity";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeStringField("asyncoperationid", job.toString());
            g.writeStringField("Id", job.toString());
        });
    }
}
