package dev.dve.server.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.engine.organization.UpsertMode;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.Payload;
import dev.dve.record.Entity;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.PrimitiveProcessor;
import org.apache.olingo.server.api.processor.PrimitiveValueProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One column of one record: {@code GET accounts(id)/name} ({@code {"value": …}}), {@code GET …/name/$value} (plain text),
 * {@code PUT …/name} with {@code {"value": …}} to update just that column, {@code DELETE …/name} to clear it. Reads and writes
 * go through the organization service like any other request.
 */
final class PropertyValueProcessor extends DataverseProcessor implements PrimitiveProcessor, PrimitiveValueProcessor {

    PropertyValueProcessor(RequestScope scope) {
        super(scope);
    }

    /** The record and column a path such as {@code accounts(id)/name[/$value]} addresses. */
    private record Column(EntityMetadata entity, UUID id, AttributeMetadata attribute) {
    }

    private Column column(UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts().stream()
                .filter(p -> p.getKind() != org.apache.olingo.server.api.uri.UriResourceKind.value).toList();
        if (parts.size() != 2 || !(parts.get(0) instanceof UriResourceEntitySet set) || set.getKeyPredicates().isEmpty()
                || !(parts.get(1) instanceof UriResourcePrimitiveProperty property)) {
            throw DataverseFault.query("This resource path is not supported yet by the emulator.");
        }
        EntityMetadata e = entity(set);
        String name = property.getProperty().getName();
        AttributeMetadata a = e.byWebApiName(name).orElseThrow(() -> DataverseFault.query(
                "Could not find a property named '" + name + "' on type 'Microsoft.Dynamics.CRM." + e.logicalName() + "'."));
        return new Column(e, key(e, set.getKeyPredicates()), a);
    }

    private Object read(Column c) {
        Entity row = service().retrieve(scope.caller(), c.entity().logicalName(), c.id(), List.of(c.attribute().logicalName()), false);
        return row.get(c.attribute().logicalName());
    }

    @Override
    public void readPrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Column c = column(uriInfo);
        Object value = read(c);
        if (value == null) {
            noContent(response);
            return;
        }
        String context = request.getRawBaseUri() + "/$metadata#" + c.entity().entitySetName() + "(" + c.id() + ")/" + c.attribute().webApiName();
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeFieldName("value");
            RecordJsonWriter.writeValue(g, value);
        });
    }

    @Override
    public void readPrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Column c = column(uriInfo);
        Object value = read(c);
        if (value == null) {
            noContent(response);
            return;
        }
        String text = value instanceof dev.dve.record.EntityReference r ? r.id().toString()
                : value instanceof java.math.BigDecimal d ? ValueFormatter.plain(d)
                : value instanceof java.time.Instant t ? t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString() : value.toString();
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, "text/plain");
        response.setHeader("OData-Version", "4.0");
        response.setContent(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void updatePrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        Column c = column(uriInfo);
        JsonNode body = scope.payloads().parse(c.entity().entitySetName(), body(request));
        if (!body.isObject() || !body.has("value") || body.size() != 1) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The body of a PUT to a single property is {\"value\": …}.");
        }
        write(request, response, c, body.get("value"));
    }

    @Override
    public void deletePrimitive(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        write(request, response, column(uriInfo), JsonNodeFactory.instance.nullNode());
    }

    private void write(ODataRequest request, ODataResponse response, Column c, JsonNode value) {
        if (c.attribute().type().isLookup() && c.attribute().targets().isEmpty()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The lookup '" + c.attribute().logicalName() + "' has no navigation property; the platform sets it.");
        }
        if (c.attribute().type().isLookup()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "A lookup is set through its navigation property: use PUT or DELETE on '…/"
                    + c.attribute().targets().get(0).navigation() + "/$ref'.");
        }
        if (c.attribute().logicalName().equals(c.entity().primaryIdAttribute())) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The primary key of a record cannot be changed.");
        }
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        changes.set(c.attribute().webApiName(), value);
        Payload payload = scope.payloads().read(c.entity(), changes);
        payload.entity().setId(c.id());
        service().upsert(scope.caller(), payload, UpsertMode.UPDATE_ONLY, version(request.getHeader(HttpHeader.IF_MATCH)));
        noContent(response);
    }

    /** 204: a null column read, or a column written. */
    private static void noContent(ODataResponse response) {
        response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
        response.setHeader("OData-Version", "4.0");
    }

    @Override
    public void updatePrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "PUT to '/$value' is not supported; PUT {\"value\": …} to the property.");
    }

    @Override
    public void deletePrimitiveValue(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "DELETE on '/$value' is not supported; DELETE the property.");
    }
}
