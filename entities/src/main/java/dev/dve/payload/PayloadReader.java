package dev.dve.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.LookupTarget;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Web API JSON body (or a fixture, which has the same shape) into a {@link Payload}: each property is
 * checked against the entity's metadata and converted to the attribute's type; {@code nav@odata.bind} becomes a
 * lookup value. Errors are the payload errors Dataverse answers with.
 */
public final class PayloadReader {
    /** Json.NET's default {@code MaxDepth}, which Dataverse reads request bodies with. */
    static final int MAX_DEPTH = 64;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ENTITY_ID = Pattern.compile("(?:^|/)([A-Za-z0-9_]+)\\(([^()]*)\\)$");
    private final MetadataCatalog catalog;

    public PayloadReader(MetadataCatalog catalog) {
        this.catalog = catalog;
    }

    /** Parses the body text; malformed JSON is a payload error. */
    public JsonNode parse(String entitySet, String body) {
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            if (n == null || n.isMissingNode()) {
                throw DataverseFault.payload(entitySet, "Microsoft.OData.ODataException: The request body is empty.");
            }
            return n;
        } catch (StreamConstraintsException e) {
            // a constraint (nesting depth, string or number length) was hit: Jackson gives no location for these
            throw DataverseFault.payload(entitySet, "Newtonsoft.Json.JsonReaderException: " + (e.getOriginalMessage().startsWith("Document nesting depth")
                    ? "The reader's MaxDepth of " + MAX_DEPTH + " has been exceeded." : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw DataverseFault.payload(entitySet, "Newtonsoft.Json.JsonReaderException: " + e.getOriginalMessage()
                    + (at == null ? "" : " Line " + at.getLineNr() + ", position " + at.getColumnNr() + "."));
        }
    }

    public Payload read(EntityMetadata e, String body) {
        return read(e, parse(e.entitySetName(), body));
    }

    public Payload read(EntityMetadata e, JsonNode body) {
        if (!body.isObject()) {
            throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: An entity must be a JSON object.");
        }
        Payload p = new Payload(new Entity(e.logicalName()));
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode v = f.getValue();
            int at = key.indexOf('@');
            if (at == 0) {
                continue; // @odata.type, @odata.etag and other instance annotations of the entity
            }
            if (at > 0) {
                String property = key.substring(0, at);
                if (key.endsWith("@odata.bind")) {
                    bind(e, property, v, p);
                }
                continue; // other property annotations (formatted values echoed back) carry no data
            }
            Optional<AttributeMetadata> attr = e.byWebApiName(key);
            if (attr.isPresent()) {
                AttributeMetadata a = attr.get();
                if (a.type().isLookup()) {
                    throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
                }
                p.entity().set(a.logicalName(), convert(e, a, v));
                if (a.logicalName().equals(e.primaryIdAttribute()) && v != null && !v.isNull()) {
                    p.entity().setId((UUID) p.entity().get(a.logicalName()));
                }
                continue;
            }
            if (deepInsert(e, key, v, p)) {
                continue;
            }
            throw unknownProperty(e, key);
        }
        return p;
    }

    private DataverseFault unknownProperty(EntityMetadata e, String key) {
        return DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: The property '" + key
                + "' does not exist on type 'Microsoft.Dynamics.CRM." + e.logicalName()
                + "'. Make sure to only use property names that are defined by the type or mark the type as open type.");
    }

    private boolean deepInsert(EntityMetadata e, String key, JsonNode v, Payload p) {
        Optional<NavigationTarget> single = singleValued(e, key);
        if (single.isPresent() && v.isObject()) {
            EntityMetadata target = catalog.require(single.get().target().entity());
            p.before().add(new Payload.BoundInsert(single.get().attribute().logicalName(), read(target, v)));
            return true;
        }
        Optional<OneToManyRelationship> rel = catalog.relationship(key, e.logicalName());
        if (rel.isPresent()) {
            if (!v.isArray()) {
                throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: A collection-valued navigation property '" + key + "' must be a JSON array.");
            }
            EntityMetadata child = catalog.require(rel.get().referencingEntity());
            for (JsonNode item : v) {
                p.after().add(new Payload.RelatedInsert(rel.get().referencingAttribute(), read(child, item)));
            }
            return true;
        }
        return false;
    }

    private void bind(EntityMetadata e, String navigation, JsonNode v, Payload p) {
        NavigationTarget nav = singleValued(e, navigation).orElseThrow(() -> {
            if (catalog.relationship(navigation).isPresent()) {
                return DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: Binding a collection-valued navigation property '" + navigation + "' on create or update is not supported; use $ref.");
            }
            return DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: An undeclared property '" + navigation
                    + "' which only has property annotations in the payload but no property value was found in the payload.");
        });
        if (v == null || v.isNull()) {
            p.entity().set(nav.attribute().logicalName(), null);
            return;
        }
        if (!v.isTextual()) {
            throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: The value of '" + navigation + "@odata.bind' must be a URL string.");
        }
        EntityReference ref = parseEntityId(v.asText())
                .orElseThrow(() -> DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: The URL '" + v.asText() + "' is not a valid entity id."));
        // a navigation named like the lookup itself (ownerid) accepts any of its targets; others exactly theirs
        boolean accepted = navigation.equals(nav.attribute().logicalName())
                ? nav.attribute().target(ref.logicalName()).isPresent()
                : nav.target().entity().equals(ref.logicalName());
        if (!accepted) {
            throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: A resource of type 'Microsoft.Dynamics.CRM."
                    + ref.logicalName() + "' cannot be bound to the navigation property '" + navigation + "'.");
        }
        p.entity().set(nav.attribute().logicalName(), ref);
    }

    /** Parses {@code /accounts(<guid>)}, {@code accounts(<guid>)} or an absolute URL ending so. */
    public Optional<EntityReference> parseEntityId(String url) {
        Matcher m = ENTITY_ID.matcher(url.trim());
        if (!m.find()) {
            return Optional.empty();
        }
        Optional<EntityMetadata> target = catalog.byEntitySet(m.group(1));
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String key = m.group(2);
        int eq = key.indexOf('=');
        if (eq >= 0) {
            if (!key.substring(0, eq).equals(target.get().primaryIdAttribute())) {
                return Optional.empty();
            }
            key = key.substring(eq + 1);
        }
        try {
            return Optional.of(new EntityReference(target.get().logicalName(), parseGuid(key)));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    private record NavigationTarget(AttributeMetadata attribute, LookupTarget target) {
    }

    private Optional<NavigationTarget> singleValued(EntityMetadata e, String navigation) {
        for (AttributeMetadata a : e.attributes()) {
            if (a.type().isLookup()) {
                for (LookupTarget t : a.targets()) {
                    if (t.navigation().equals(navigation)) {
                        return Optional.of(new NavigationTarget(a, t));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Converts one JSON value to the attribute's Java type, as the OData reader would. */
    public Object convert(EntityMetadata e, AttributeMetadata a, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String edm = a.type().edmType();
        try {
            switch (a.type()) {
                case UNIQUEIDENTIFIER:
                    requireText(v);
                    return parseGuid(v.asText());
                case STRING:
                case MEMO:
                case ENTITYNAME:
                case MULTISELECTPICKLIST:
                    requireText(v);
                    return v.asText();
                case INTEGER:
                case PICKLIST:
                case STATE:
                case STATUS:
                    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                        throw new IllegalArgumentException();
                    }
                    return v.intValue();
                case BIGINT:
                    if (v.isTextual()) {
                        return Long.parseLong(v.asText());
                    }
                    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                        throw new IllegalArgumentException();
                    }
                    return v.longValue();
                case DECIMAL:
                case MONEY:
                    if (v.isTextual()) {
                        return new BigDecimal(v.asText());
                    }
                    if (!v.isNumber()) {
                        throw new IllegalArgumentException();
                    }
                    return v.decimalValue();
                case DOUBLE:
                    if (!v.isNumber()) {
                        throw new IllegalArgumentException();
                    }
                    return v.doubleValue();
                case BOOLEAN:
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException();
                    }
                    return v.booleanValue();
                case DATETIME:
                    requireText(v);
                    return parseDateTime(v.asText());
                default:
                    throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException ex) {
            String literal = v.isTextual() ? v.asText() : v.toString();
            throw DataverseFault.payload(e.entitySetName(), "Microsoft.OData.ODataException: Cannot convert the literal '"
                    + literal + "' to the expected type '" + edm + "'.");
        }
    }

    private static void requireText(JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException();
        }
    }

    /** A GUID in its canonical 36-character form (braces allowed), lower-cased. */
    public static UUID parseGuid(String s) {
        String t = s.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.length() != 36 || !t.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("Not a GUID: " + s);
        }
        return UUID.fromString(t.toLowerCase(java.util.Locale.ROOT));
    }

    /** An ISO-8601 date-time with offset, or a date (midnight UTC). */
    public static Instant parseDateTime(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(s).toInstant();
    }
}
