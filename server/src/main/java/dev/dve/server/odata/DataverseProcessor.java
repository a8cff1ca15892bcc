package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.PayloadReader;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.Processor;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** The URI and response plumbing the concrete processors share, so they only translate. */
abstract class DataverseProcessor implements Processor {
    static final String JSON_CONTENT_TYPE = "application/json; odata.metadata=minimal";
    private static final JsonFactory JSON = new JsonFactory();
    protected final RequestScope scope;
    protected OData odata;
    protected ServiceMetadata serviceMetadata;

    DataverseProcessor(RequestScope scope) {
        this.scope = scope;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        this.odata = odata;
        this.serviceMetadata = serviceMetadata;
    }

    protected OrganizationService service() {
        return scope.runtime().service();
    }

    /** What the caller- and date-relative query functions are computed from. */
    protected QueryFunctions.Context queryContext() {
        return scope.runtime().queries().functionContext(scope.caller());
    }

    protected EntityMetadata entity(UriResourceEntitySet set) {
        String name = set.getEntitySet().getName();
        return scope.runtime().catalog().byEntitySet(name)
                .orElseThrow(() -> new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + name + "'."));
    }

    protected EntityMetadata entityByType(String logicalName) {
        return scope.runtime().catalog().require(logicalName);
    }

    protected static UUID key(EntityMetadata e, List<UriParameter> keys) {
        if (keys.size() != 1) {
            throw DataverseFault.query("Alternate keys are not supported yet by the emulator.");
        }
        String text = keys.get(0).getText();
        try {
            return PayloadReader.parseGuid(text);
        } catch (IllegalArgumentException ex) {
            throw DataverseFault.query("Unrecognized 'Edm.Guid' literal '" + text + "' at '0' in '" + text + "'.");
        }
    }

    protected static String body(ODataRequest request) {
        requireJson(request.getHeader(HttpHeader.CONTENT_TYPE));
        try (InputStream in = request.getBody()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bodies are JSON, as Dataverse reads them. Olingo also accepts XML (Atom) bodies for entities, which would then be
     * read as JSON; a body that names another format is refused instead (no Content-Type is Olingo's to judge).
     */
    private static void requireJson(String contentType) {
        if (contentType == null) {
            return;
        }
        boolean json;
        try {
            json = ContentType.create(contentType).isCompatible(ContentType.APPLICATION_JSON);
        } catch (IllegalArgumentException e) {
            json = false;
        }
        if (!json) {
            throw new DataverseFault(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The content type '" + contentType + "' is not supported.");
        }
    }

    protected static String entityId(ODataRequest request, EntityMetadata e, UUID id) {
        return request.getRawBaseUri() + "/" + e.entitySetName() + "(" + id + ")";
    }

    /** Parses {@code If-Match} / {@code If-None-Match} values {@code W/"123"}; null for absent or {@code *}. */
    protected static Long version(String etag) {
        if (etag == null || etag.isBlank() || etag.trim().equals("*") || etag.trim().equals("null")) {
            return null;
        }
        String v = etag.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1L; // matches no row version
        }
    }

    @FunctionalInterface
    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    protected static void writeJson(ODataResponse response, int status, JsonBody body) {
        writeJson(response, status, JSON_CONTENT_TYPE, body);
    }

    /** The JSON format Olingo negotiated for this answer (null: the default, minimal metadata). */
    protected JsonFormat jsonFormat(ODataRequest request, ContentType negotiated) {
        return JsonFormat.of(negotiated, request.getRawBaseUri(), scope.runtime().catalog());
    }

    protected static void writeJson(ODataResponse response, int status, String contentType, JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        response.setStatusCode(status);
        response.setHeader(HttpHeader.CONTENT_TYPE, contentType);
        response.setHeader("OData-Version", "4.0");
        response.setContent(new ByteArrayInputStream(out.toByteArray()));
    }

    protected static void applyPreferences(ODataResponse response, PreferHeader prefer, boolean representation) {
        if (representation) {
            response.addHeader("Preference-Applied", "return=representation");
        }
        if (prefer.includeAnnotationsRaw() != null) {
            response.addHeader("Preference-Applied", "odata.include-annotations=" + prefer.includeAnnotationsRaw());
        }
    }
}
