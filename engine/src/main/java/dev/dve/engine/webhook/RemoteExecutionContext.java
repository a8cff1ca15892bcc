package dev.dve.engine.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.auth.CallerContext;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The body Dataverse POSTs to a webhook: a {@code Microsoft.Xrm.Sdk.RemoteExecutionContext} as .NET's
 * DataContractJsonSerializer writes it, so a receiver that parses it with that serializer (the documented way, e.g. in
 * an Azure Function) gets typed values back: members in the contract's order, {@code "__type"} first wherever the
 * declared type is {@code object} (the Target, attribute values), dates as {@code "\/Date(ms)\/"} and every {@code /}
 * escaped as .NET does.
 *
 * <p>Approximated: the correlation id is new for each job rather than shared by everything one request caused;
 * {@code RequestId} and {@code ParentContext} are null, {@code SharedVariables}, {@code FormattedValues} and
 * {@code PreEntityImages} empty; the Target holds the attributes the operation wrote (for an update: the changed ones
 * plus the platform's modifiedon/modifiedby …, never {@code versionnumber}); a multi-select choice is written as an
 * array of OptionSetValue.
 */
final class RemoteExecutionContext {
    private static final String CONTRACTS = ":http://schemas.microsoft.com/xrm/2011/Contracts";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer().with(new DotNetEscapes());
    /** Dataverse's isolation mode of the step's context in the documented sample (1: none). */
    private static final int ISOLATION_MODE = 1;
    private static final int MODE_ASYNCHRONOUS = 1;

    private RemoteExecutionContext() {
    }

    /**
     * What happened, once for every step it triggers.
     *
     * @param target the values the operation wrote (null for a delete)
     * @param primaryName the record's primary name after the operation (null for a delete)
     */
    record Event(String messageName, EntityMetadata entity, UUID recordId, Entity target, String primaryName, CallerContext caller,
                 Instant createdOn, UUID organizationId, String organizationName) {
    }

    /** The JSON sent for one step's job. */
    static String json(Event e, Entity step, UUID jobId, UUID correlationId, UUID userId) {
        ObjectNode c = NODES.objectNode();
        c.put("BusinessUnitId", e.caller().businessUnitId() == null ? null : e.caller().businessUnitId().toString());
        c.put("CorrelationId", correlationId.toString());
        c.put("Depth", e.caller().depth());
        c.put("InitiatingUserId", e.caller().userId().toString());
        ArrayNode inputs = c.putArray("InputParameters");
        inputs.add(pair("Target", e.target() == null
                ? reference(new EntityReference(e.entity().logicalName(), e.recordId()), true)
                : entity(e.entity(), e.recordId(), e.target(), true)));
        c.put("IsExecutingOffline", false);
        c.put("IsInTransaction", false);
        c.put("IsOfflinePlayback", false);
        c.put("IsolationMode", ISOLATION_MODE);
        c.put("MessageName", e.messageName());
        c.put("Mode", MODE_ASYNCHRONOUS);
        c.put("OperationCreatedOn", date(e.createdOn()));
        c.put("OperationId", jobId.toString());
        c.put("OrganizationId", e.organizationId() == null ? null : e.organizationId().toString());
        c.put("OrganizationName", e.organizationName());
        ArrayNode outputs = c.putArray("OutputParameters");
        if (e.messageName().equals("Create")) {
            outputs.add(pair("id", NODES.textNode(e.recordId().toString())));
        }
        c.set("OwningExtension", reference(new EntityReference("sdkmessageprocessingstep", step.id(), (String) step.get("name")), false));
        c.putNull("ParentContext");
        ArrayNode post = c.putArray("PostEntityImages");
        String nameAttribute = e.entity().primaryNameAttribute();
        if (e.target() != null && nameAttribute != null) {
            // Dataverse gives every asynchronous step this image of the record's primary name
            Entity image = new Entity(e.entity().logicalName(), e.recordId()).set(nameAttribute, e.primaryName());
            post.add(pair("AsynchronousStepPrimaryName", entity(e.entity(), e.recordId(), image, false)));
        }
        c.putArray("PreEntityImages");
        c.put("PrimaryEntityId", e.recordId().toString());
        c.put("PrimaryEntityName", e.entity().logicalName());
        c.putNull("RequestId");
        c.put("SecondaryEntityName", "none");
        c.putArray("SharedVariables");
        c.put("Stage", WebhookTrigger.STAGE_POST_OPERATION);
        c.put("UserId", userId.toString());
        try {
            return WRITER.writeValueAsString(c);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree cannot fail to serialise", ex);
        }
    }

    private static ObjectNode pair(String key, JsonNode value) {
        ObjectNode p = NODES.objectNode();
        p.put("key", key);
        p.set("value", value);
        return p;
    }

    /** An Entity; {@code typed} where the declared type is object (a parameter's value), so the receiver knows what it is. */
    private static ObjectNode entity(EntityMetadata meta, UUID id, Entity values, boolean typed) {
        ObjectNode n = NODES.objectNode();
        if (typed) {
            n.put("__type", "Entity" + CONTRACTS);
        }
        ArrayNode attributes = n.putArray("Attributes");
        for (Map.Entry<String, Object> v : values.attributes().entrySet()) {
            // the row version travels as RowVersion in Dataverse, never as an attribute
            if (v.getKey().equals("versionnumber")) {
                continue;
            }
            AttributeMetadata a = meta.attribute(v.getKey()).orElseThrow(() ->
                    new IllegalStateException("a written row has an attribute its entity lacks: " + v.getKey()));
            attributes.add(pair(a.logicalName(), value(a, v.getValue())));
        }
        if (!values.contains(meta.primaryIdAttribute())) {
            attributes.add(pair(meta.primaryIdAttribute(), NODES.textNode(id.toString())));
        }
        n.putNull("EntityState");
        n.putArray("FormattedValues");
        n.put("Id", id.toString());
        n.putArray("KeyAttributes");
        n.put("LogicalName", meta.logicalName());
        n.putArray("RelatedEntities");
        n.putNull("RowVersion");
        return n;
    }

    private static ObjectNode reference(EntityReference r, boolean typed) {
        ObjectNode n = NODES.objectNode();
        if (typed) {
            n.put("__type", "EntityReference" + CONTRACTS);
        }
        n.put("Id", r.id().toString());
        n.putArray("KeyAttributes");
        n.put("LogicalName", r.logicalName());
        n.put("Name", r.name());
        n.putNull("RowVersion");
        return n;
    }

    /** An attribute value as the SDK types it: choices as OptionSetValue, money as Money, lookups as EntityReference. */
    private static JsonNode value(AttributeMetadata a, Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        return switch (a.type()) {
            case PICKLIST, STATE, STATUS -> optionSetValue(((Number) v).intValue());
            case MONEY -> typed("Money").put("Value", new BigDecimal(v.toString()));
            case LOOKUP, OWNER, CUSTOMER -> reference((EntityReference) v, true);
            case DATETIME -> NODES.textNode(date((Instant) v));
            case MULTISELECTPICKLIST -> {
                ArrayNode options = NODES.arrayNode();
                for (String o : v.toString().split(",")) {
                    if (!o.isBlank()) {
                        options.add(optionSetValue(Integer.parseInt(o.trim())));
                    }
                }
                yield options;
            }
            case UNIQUEIDENTIFIER, STRING, MEMO, ENTITYNAME -> NODES.textNode(v.toString());
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            case INTEGER -> NODES.numberNode(((Number) v).intValue());
            case BIGINT -> NODES.numberNode(((Number) v).longValue());
            case DOUBLE -> NODES.numberNode(((Number) v).doubleValue());
            case DECIMAL -> NODES.numberNode(new BigDecimal(v.toString()));
        };
    }

    private static ObjectNode optionSetValue(int value) {
        return typed("OptionSetValue").put("Value", value);
    }

    private static ObjectNode typed(String contract) {
        ObjectNode n = NODES.objectNode();
        n.put("__type", contract + CONTRACTS);
        return n;
    }

    /** .NET's JSON date: milliseconds since the epoch, UTC (no offset). */
    static String date(Instant t) {
        return "/Date(" + t.toEpochMilli() + ")/";
    }

    /** Escapes {@code /} as {@code \/} like DataContractJsonSerializer; its readers recognise dates only in that form. */
    private static final class DotNetEscapes extends CharacterEscapes {
        private final int[] ascii;

        DotNetEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii['/'] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '/' ? new SerializedString("\\/") : null;
        }
    }
}
