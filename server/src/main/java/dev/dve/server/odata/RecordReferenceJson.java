package dev.dve.server.odata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.payload.PayloadReader;
import dev.dve.record.EntityReference;

import java.util.UUID;

/**
 * A record named in a message parameter, as the Web API writes one: a typed object ({@code {"@odata.type":
 * "Microsoft.Dynamics.CRM.account", "accountid": "…"}}; a principal may give its key as {@code ownerid}) or a
 * reference ({@code {"@odata.id": "accounts(…)"}}, also as a function's parameter alias, where Dataverse accepts
 * single quotes).
 */
final class RecordReferenceJson {
    private static final String NAMESPACE = "Microsoft.Dynamics.CRM.";
    private static final ObjectMapper LENIENT = new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);
    private final MetadataCatalog catalog;

    RecordReferenceJson(MetadataCatalog catalog) {
        this.catalog = catalog;
    }

    /** A function parameter alias value, {@code {'@odata.id':'accounts(…)'}}. */
    EntityReference alias(String message, String parameter, String text) {
        if (text == null) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: " + parameter + " is required.");
        }
        JsonNode node;
        try {
            node = LENIENT.readTree(text);
        } catch (java.io.IOException e) {
            throw DataverseFault.query("The parameter '" + parameter + "' of '" + message + "' is not a JSON object: " + text);
        }
        return read(message, parameter, node);
    }

    /** A parameter of a JSON body; a missing or null one is refused. */
    EntityReference read(String message, String parameter, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: " + parameter + " is required.");
        }
        if (!node.isObject()) {
            throw DataverseFault.payload(message, "Microsoft.OData.ODataException: The parameter '" + parameter
                    + "' must be an entity: an object with '@odata.type' and its key, or '@odata.id'.");
        }
        JsonNode ref = node.get("@odata.id");
        if (ref != null && ref.isTextual()) {
            return fromId(message, parameter, ref.asText());
        }
        JsonNode type = node.get("@odata.type");
        if (type == null || !type.isTextual()) {
            throw DataverseFault.payload(message, "Microsoft.OData.ODataException: The parameter '" + parameter
                    + "' names no entity type: '@odata.type' is required.");
        }
        String name = type.asText().startsWith("#") ? type.asText().substring(1) : type.asText();
        if (name.startsWith(NAMESPACE)) {
            name = name.substring(NAMESPACE.length());
        }
        String logicalName = name;
        EntityMetadata e = catalog.entity(logicalName).orElseThrow(() -> DataverseFault.payload(message,
                "Microsoft.OData.ODataException: A type named '" + type.asText() + "' could not be resolved by the model."));
        JsonNode key = node.get(e.primaryIdAttribute());
        if ((key == null || key.isNull()) && (e.logicalName().equals("systemuser") || e.logicalName().equals("team"))) {
            key = node.get("ownerid");
        }
        if (key == null || !key.isTextual()) {
            throw DataverseFault.payload(message, "Microsoft.OData.ODataException: The parameter '" + parameter + "' has no value for the key '"
                    + e.primaryIdAttribute() + "' of '" + e.logicalName() + "'.");
        }
        return new EntityReference(e.logicalName(), guid(message, key.asText()));
    }

    /** {@code accounts(<id>)}, also as an absolute URL. */
    private EntityReference fromId(String message, String parameter, String id) {
        String path = id;
        int slash = path.lastIndexOf('/', path.endsWith("/") ? path.length() - 2 : path.length() - 1);
        if (slash >= 0) {
            path = path.substring(slash + 1);
        }
        int open = path.indexOf('(');
        if (open <= 0 || !path.endsWith(")")) {
            throw DataverseFault.query("The '@odata.id' of '" + parameter + "' is not a record's address: '" + id + "'.");
        }
        String set = path.substring(0, open);
        EntityMetadata e = catalog.byEntitySet(set).orElseThrow(() ->
                new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + set + "'."));
        return new EntityReference(e.logicalName(), guid(message, path.substring(open + 1, path.length() - 1)));
    }

    private static UUID guid(String message, String text) {
        try {
            return PayloadReader.parseGuid(text);
        } catch (IllegalArgumentException e) {
            throw DataverseFault.payload(message, "Microsoft.OData.ODataException: Cannot convert the literal '" + text
                    + "' to the expected type 'Edm.Guid'.");
        }
    }
}
