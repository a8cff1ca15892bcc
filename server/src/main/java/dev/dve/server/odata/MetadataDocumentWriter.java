package dev.dve.server.odata;

import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.serializer.SerializerException;
import org.apache.olingo.server.api.processor.MetadataProcessor;
import org.apache.olingo.server.api.uri.UriInfo;

/**
 * {@code $metadata}: the CSDL as Dataverse shows it ({@link CatalogEdmProvider} in its document view, where an owner's
 * {@code ownerid} is typed principal), which differs from the model requests are parsed with only in that type.
 */
final class MetadataDocumentWriter implements MetadataProcessor {
    private final ServiceMetadata document;
    private OData odata;

    MetadataDocumentWriter(ServiceMetadata document) {
        this.document = document;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        this.odata = odata;
    }

    @Override
    public void readMetadata(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) throws SerializerException {
        response.setContent(odata.createSerializer(format).metadataDocument(document).getContent());
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
    }
}
