package dev.dve.server.odata;

import dev.dve.metadata.EntityMetadata;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ServiceDocumentProcessor;
import org.apache.olingo.server.api.uri.UriInfo;

/** The service document as Dataverse writes it: an absolute context URL and every entity set with its kind. */
final class ServiceDocumentWriter extends DataverseProcessor implements ServiceDocumentProcessor {

    ServiceDocumentWriter(RequestScope scope) {
        super(scope);
    }

    @Override
    public void readServiceDocument(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", request.getRawBaseUri() + "/$metadata");
            g.writeArrayFieldStart("value");
            for (EntityMetadata e : scope.runtime().catalog().entities()) {
                g.writeStartObject();
                g.writeStringField("name", e.entitySetName());
                g.writeStringField("kind", "EntitySet");
                g.writeStringField("url", e.entitySetName());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }
}
