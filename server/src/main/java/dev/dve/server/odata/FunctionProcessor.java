package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ComplexProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceFunction;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriParameter;
import dev.dve.auth.security.AccessRight;
import dev.dve.engine.security.RecordSharing;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.EntityReference;
import java.util.List;

/** Functions that answer a complex type: {@code WhoAmI}, {@code RetrieveSharedPrincipalsAndAccess}, {@code RetrievePrincipalAccess}. */
final class FunctionProcessor extends DataverseProcessor implements ComplexProcessor {

    FunctionProcessor(RequestScope scope) {
        super(scope);
    }

    @Override
    public void readComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        UriResource first = uriInfo.getUriResourceParts().get(0);
        if (first instanceof UriResourceFunction f && CatalogEdmProvider.WHOAMI.equals(f.getFunction().getName())) {
            String context = request.getRawBaseUri() + "/$metadata#" + CatalogEdmProvider.WHOAMI_RESPONSE.getFullQualifiedNameAsString();
            writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
                g.writeStringField("@odata.context", context);
                g.writeStringField("BusinessUnitId", scope.caller().businessUnitId().toString());
                g.writeStringField("UserId", scope.caller().userId().toString());
                g.writeStringField("OrganizationId", String.valueOf(service().organizationId()));
            });
            return;
        }
        java.util.List<UriResource> parts = uriInfo.getUriResourceParts();
        UriResource last = parts.get(parts.size() - 1);
        if (last instanceof UriResourceFunction f && CatalogEdmProvider.RETRIEVE_SHARED.equals(f.getFunction().getName())
                && parts.size() == 1) {
            retrieveShared(request, response, uriInfo, f);
            return;
        }
        if (last instanceof UriResourceFunction f && CatalogEdmProvider.RETRIEVE_PRINCIPAL_ACCESS.equals(f.getFunction().getName())
                && parts.size() == 2 && first instanceof UriResourceEntitySet set) {
            retrievePrincipalAccess(request, response, uriInfo, f, set);
            return;
        }
        throw new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + first.getSegmentValue() + "'.");
    }

    /** RetrieveSharedPrincipalsAndAccess(Target=@t): the record's shares, each principal typed as Dataverse writes it. */
    private void retrieveShared(ODataRequest request, ODataResponse response, UriInfo uriInfo, UriResourceFunction f) {
        String name = CatalogEdmProvider.RETRIEVE_SHARED;
        EntityReference target = target(name, uriInfo, f);
        List<RecordSharing.PrincipalAccess> shares = scope.runtime().sharing().sharedPrincipals(scope.caller(), target);
        String context = request.getRawBaseUri() + "/$metadata#Microsoft.Dynamics.CRM." + name + "Response";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeArrayFieldStart("PrincipalAccesses");
            for (RecordSharing.PrincipalAccess s : shares) {
                g.writeStartObject();
                g.writeStringField("AccessMask", AccessRight.maskNames(s.accessMask()));
                g.writeObjectFieldStart("Principal");
                g.writeStringField("@odata.type", "#Microsoft.Dynamics.CRM." + s.principal().logicalName());
                g.writeStringField("ownerid", s.principal().id().toString());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** systemusers(id)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t): the user's (team's) rights on the record. */
    private void retrievePrincipalAccess(ODataRequest request, ODataResponse response, UriInfo uriInfo, UriResourceFunction f,
                                         UriResourceEntitySet set) {
        String name = CatalogEdmProvider.RETRIEVE_PRINCIPAL_ACCESS;
        EntityMetadata principalEntity = entity(set);
        EntityReference principal = new EntityReference(principalEntity.logicalName(), key(principalEntity, set.getKeyPredicates()));
        EntityReference target = target(name, uriInfo, f);
        int rights = scope.runtime().sharing().principalAccess(scope.caller(), principal, target);
        String context = request.getRawBaseUri() + "/$metadata#Microsoft.Dynamics.CRM." + name + "Response";
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeStringField("AccessRights", AccessRight.maskNames(rights));
        });
    }

    /** The Target parameter: an alias ({@code Target=@t&@t={'@odata.id':'accounts(…)'}}) or the JSON inline. */
    private EntityReference target(String function, UriInfo uriInfo, UriResourceFunction f) {
        UriParameter p = f.getParameters().stream().filter(x -> x.getName().equals("Target")).findFirst().orElse(null);
        String text = null;
        if (p != null) {
            text = p.getAlias() != null ? uriInfo.getValueForAlias(p.getAlias()) : p.getText();
        }
        return new RecordReferenceJson(scope.runtime().catalog()).alias(function, "Target", text);
    }

    @Override
    public void updateComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "The method is not allowed on this resource.");
    }

    @Override
    public void deleteComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "The method is not allowed on this resource.");
    }
}
