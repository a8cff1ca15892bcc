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

/** Unbound functions that answer a complex type: {@code WhoAmI}. */
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
        throw new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + first.getSegmentValue() + "'.");
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
