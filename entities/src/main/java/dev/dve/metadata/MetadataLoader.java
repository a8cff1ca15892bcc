package dev.dve.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads entity data files into a {@link MetadataCatalog}. The built-in entities are listed in
 * {@code metadata/catalog.json} on the class path; any directory given adds (or replaces) entities with its
 * {@code *.json} files. Traits ({@code metadata/traits.json}) are shared attribute groups an entity file names
 * in {@code "traits"}; {@code {entity}} in a trait's relationship names becomes the entity's logical name.
 */
public final class MetadataLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, JsonNode> traits = new LinkedHashMap<>();

    public MetadataLoader() {
        JsonNode t = readResource("metadata/traits.json");
        t.fields().forEachRemaining(e -> traits.put(e.getKey(), e.getValue()));
    }

    /** The built-in catalog plus the entity files found in the given directories. */
    public MetadataCatalog load(List<Path> extraDirectories) {
        return load(extraDirectories, null);
    }

    /**
     * The built-in catalog, the entity files found in the given directories, and the tables of an org's
     * {@code $metadata} (null: none) that neither of those has.
     */
    public MetadataCatalog load(List<Path> extraDirectories, dev.dve.metadata.csdl.ImportedMetadata imported) {
        Map<String, JsonNode> sources = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode name : readResource("metadata/catalog.json").path("entities")) {
            sources.put(name.asText(), readResource("metadata/entities/" + name.asText()));
        }
        java.util.Set<String> shippedSources = new java.util.HashSet<>(sources.keySet());
        for (Path dir : extraDirectories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    sources.put(f.toString(), JSON.readTree(f.toFile()));
                }
            } catch (IOException ex) {
                throw new MetadataException("Cannot read metadata directory " + dir, ex);
            }
        }
        if (imported != null) {
            java.util.Set<String> existing = new java.util.HashSet<>();
            sources.forEach((src, n) -> existing.add(n.path("logicalName").asText()));
            dev.dve.metadata.csdl.CsdlDocument doc = dev.dve.metadata.csdl.CsdlDocument.read(imported.file());
            for (JsonNode n : new dev.dve.metadata.csdl.CsdlImport(doc, imported.file().toString(), existing).entities(imported.entities())) {
                sources.put(imported.file() + "#" + n.path("logicalName").asText(), n);
            }
        }
        // first pass: every entity's names, so a lookup targeting "*" can reach them all
        Map<String, JsonNode> byLogical = new LinkedHashMap<>();
        Map<String, String> custom = new LinkedHashMap<>();
        sources.forEach((src, n) -> {
            String logical = text(n, "logicalName", src);
            byLogical.put(logical, n);
            names.put(logical, n.path("schemaName").asText(logical));
            if (!shippedSources.contains(src)) {
                custom.put(logical, n.path("schemaName").asText(logical));
            }
        });
        custom.keySet().removeIf(logical -> sources.keySet().stream().filter(shippedSources::contains)
                .anyMatch(src -> sources.get(src).path("logicalName").asText().equals(logical)));
        this.allEntities = names;
        this.customEntities = custom;
        Map<String, EntityMetadata> entities = new LinkedHashMap<>();
        sources.forEach((src, n) -> {
            EntityMetadata e = parseEntity(n, src);
            entities.put(e.logicalName(), e);
        });
        return new MetadataCatalog(entities.values(), cascades());
    }

    /**
     * The cascade configurations of the shipped relationships ({@code metadata/cascades.json}), by relationship
     * schema name; a relationship not listed cascades nothing unless its lookup target says otherwise.
     */
    static Map<String, CascadeConfiguration> cascades() {
        Map<String, CascadeConfiguration> out = new LinkedHashMap<>();
        readResource("metadata/cascades.json").path("relationships").fields().forEachRemaining(f ->
                out.put(f.getKey(), CascadeConfiguration.parse(f.getValue(), "metadata/cascades.json: " + f.getKey())));
        return out;
    }

    /** Logical name → schema name of every entity being loaded (for "*" lookup targets). */
    private Map<String, String> allEntities = Map.of();

    /**
     * Logical name → schema name of the tables the emulator does not ship: entity files of extra directories and
     * tables imported from an org's {@code $metadata} (for "*custom" lookup targets: Dataverse gives every custom
     * table its own relationship to system jobs and process sessions).
     */
    private Map<String, String> customEntities = Map.of();

    private static JsonNode readResource(String name) {
        try (InputStream in = MetadataLoader.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new MetadataException("Missing metadata resource " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new MetadataException("Cannot read metadata resource " + name, e);
        }
    }

    EntityMetadata parseEntity(JsonNode n, String source) {
        String logical = text(n, "logicalName", source);
        String primaryId = n.path("primaryId").asText(logical + "id");
        Map<String, AttributeMetadata> attrs = new LinkedHashMap<>();
        attrs.put(primaryId, new AttributeMetadata(primaryId, AttributeType.UNIQUEIDENTIFIER, null, null, null,
                null, RequiredLevel.SYSTEMREQUIRED, true, false, null, List.of(), null, null, false, false));
        Map<String, JsonNode> definitions = new LinkedHashMap<>();
        for (JsonNode trait : n.path("traits")) {
            JsonNode body = traits.get(trait.asText());
            if (body == null) {
                throw new MetadataException(source + ": unknown trait '" + trait.asText() + "'");
            }
            body.fields().forEachRemaining(f -> definitions.put(f.getKey(), f.getValue()));
        }
        java.util.Set<String> fromReference = new java.util.HashSet<>();
        if (n.hasNonNull("reference")) {
            ReferenceColumns reference = new ReferenceColumns(readResource("metadata/reference/" + n.path("reference").asText() + ".json"));
            reference.columns(allEntities.keySet()).forEach((name, column) -> {
                definitions.put(name, reference.documentedTargetsOnly(name, ReferenceColumns.overlay(definitions.get(name), column)));
                fromReference.add(name);
            });
        }
        // the entity file's own attributes: over a reference column field by field (emulator-specific facts such as
        // defaults, indexes, formulas), otherwise as the whole definition
        n.path("attributes").fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                // null: a trait column the table does not have (Microsoft does not list it for this table)
                definitions.remove(f.getKey());
                return;
            }
            definitions.put(f.getKey(), fromReference.contains(f.getKey())
                    ? ReferenceColumns.overlay(definitions.get(f.getKey()), (ObjectNode) f.getValue()) : f.getValue());
        });
        definitions.forEach((name, a) -> attrs.put(name, parseAttribute(logical, name, a, source)));
        // "platformColumns": {"<column>": "<why the platform keeps it>"}: a column the emulator's services need and
        // clients never see (Microsoft does not list it for the table)
        n.path("platformColumns").fields().forEachRemaining(f -> {
            AttributeMetadata a = attrs.get(f.getKey());
            if (a == null || f.getKey().equals(primaryId)) {
                throw new MetadataException(source + ": platform column '" + f.getKey() + "' is not an attribute of the table");
            }
            if (!f.getValue().isTextual() || f.getValue().asText().isBlank()) {
                throw new MetadataException(source + ": platform column '" + f.getKey() + "' needs a reason");
            }
            attrs.put(f.getKey(), a.asPlatformOnly());
        });
        String primaryName = n.path("primaryName").isMissingNode() ? null : n.path("primaryName").asText();
        if (primaryName != null && !attrs.containsKey(primaryName)) {
            throw new MetadataException(source + ": primary name '" + primaryName + "' is not an attribute");
        }
        String schemaName = n.path("schemaName").asText(logical);
        EntityMetadata.Security security = new EntityMetadata.Security(
                n.path("privilegeName").asText(schemaName),
                n.path("privilegeEntity").isTextual() ? n.path("privilegeEntity").asText() : null,
                n.path("clientWritable").asBoolean(true),
                n.path("privilegeParent").isTextual() ? n.path("privilegeParent").asText() : null,
                n.path("userKeyed").asBoolean(false));
        if (security.parentLookup() != null && (!attrs.containsKey(security.parentLookup()) || !attrs.get(security.parentLookup()).type().isLookup())) {
            throw new MetadataException(source + ": privilegeParent '" + security.parentLookup() + "' is not a lookup");
        }
        return new EntityMetadata(logical, schemaName,
                text(n, "entitySetName", source),
                n.path("displayName").asText(logical),
                n.path("objectTypeCode").asInt(0),
                n.path("ownership").asText("None"),
                primaryId, primaryName, new ArrayList<>(attrs.values()), security, hierarchy(n, logical, attrs, source));
    }

    /** The entity's hierarchical relationship ({@code "hierarchy": "<lookup to itself>"}), checked to be a lookup to the entity. */
    private static String hierarchy(JsonNode n, String logical, Map<String, AttributeMetadata> attrs, String source) {
        if (!n.path("hierarchy").isTextual()) {
            return null;
        }
        String name = n.path("hierarchy").asText();
        AttributeMetadata a = attrs.get(name);
        if (a == null || !a.type().isLookup() || a.targets().size() != 1 || !a.targets().get(0).entity().equals(logical)) {
            throw new MetadataException(source + ": hierarchy '" + name + "' is not a lookup to " + logical + " itself");
        }
        return name;
    }

    private AttributeMetadata parseAttribute(String entity, String name, JsonNode a, String source) {
        AttributeType type;
        try {
            type = AttributeType.parse(text(a, "type", source + ": " + name));
        } catch (IllegalArgumentException e) {
            throw new MetadataException(source + ": attribute '" + name + "' has unknown type " + a.path("type").asText());
        }
        OptionSetMetadata options = null;
        if (a.has("options") || type == AttributeType.BOOLEAN) {
            options = parseOptions(a.path("optionSetName").asText(entity + "_" + name), a.path("options"), type);
        } else if (type.isOptionSet() || type == AttributeType.MULTISELECTPICKLIST) {
            throw new MetadataException(source + ": choice attribute '" + name + "' has no options");
        }
        List<LookupTarget> targets = new ArrayList<>();
        if (type.isLookup()) {
            JsonNode t = a.path("targets");
            // a plain Lookup may document no targets (workflowlog.regardingobjectid): a Guid-valued _x_value the
            // platform writes, with the referenced row's logical name kept beside it and no navigation property
            boolean untargeted = type == AttributeType.LOOKUP && (t.isMissingNode() || t.isObject() && t.isEmpty());
            if (!untargeted && (!t.isObject() || t.isEmpty())) {
                throw new MetadataException(source + ": lookup '" + name + "' has no targets");
            }
            boolean polymorphic = t.size() > 1 || t.has("*") || t.has("*custom");
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String relationship = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().path("relationship").asText();
                CascadeConfiguration cascade = e.getValue().has("cascade")
                        ? CascadeConfiguration.parse(e.getValue().get("cascade"), source + ": " + name + " → " + e.getKey()) : null;
                if (e.getKey().equals("*") || e.getKey().equals("*custom")) {
                    // any entity (or any custom table): one relationship per target, named from the target's schema name
                    (e.getKey().equals("*") ? allEntities : customEntities).forEach((logical, schema) -> targets.add(new LookupTarget(logical,
                            relationship.replace("{Target}", schema).replace("{entity}", entity), name + "_" + logical, cascade)));
                    continue;
                }
                String navigation = e.getValue().path("navigation").asText(polymorphic ? name + "_" + e.getKey() : name);
                targets.add(new LookupTarget(e.getKey(), relationship.replace("{entity}", entity), navigation, cascade));
            }
        }
        boolean readOnly = a.path("readOnly").asBoolean(false);
        boolean createOnly = a.path("createOnly").asBoolean(false);
        List<String> formula = null;
        if (a.has("formula")) {
            formula = new ArrayList<>();
            for (JsonNode f : a.path("formula")) {
                formula.add(f.asText());
            }
            readOnly = true;
        }
        Integer maxLength = a.has("maxLength") ? Integer.valueOf(a.get("maxLength").asInt()) : defaultLength(type);
        Integer precision = a.has("precision") ? Integer.valueOf(a.get("precision").asInt()) : defaultPrecision(type);
        RequiredLevel required = RequiredLevel.valueOf(a.path("required").asText("None").toUpperCase(Locale.ROOT));
        return new AttributeMetadata(name, type, maxLength, number(a.get("min")), number(a.get("max")), precision,
                required, !readOnly, !readOnly && !createOnly, options, targets, defaultValue(a.get("default")), formula,
                type == AttributeType.DATETIME && "DateOnly".equalsIgnoreCase(a.path("format").asText()),
                a.path("indexed").asBoolean(false));
    }

    private static Integer defaultLength(AttributeType type) {
        return switch (type) {
            case STRING -> 100;
            case MEMO -> 1048576;
            case ENTITYNAME -> 64;
            default -> null;
        };
    }

    private static Integer defaultPrecision(AttributeType type) {
        return switch (type) {
            case MONEY -> 4;
            case DECIMAL -> 10;
            default -> null;
        };
    }

    private static OptionSetMetadata parseOptions(String name, JsonNode n, AttributeType type) {
        List<OptionMetadata> list = new ArrayList<>();
        if (type == AttributeType.BOOLEAN && (n.isMissingNode() || n.isEmpty())) {
            list.add(new OptionMetadata(0, "No", null, null));
            list.add(new OptionMetadata(1, "Yes", null, null));
            return new OptionSetMetadata(name, list);
        }
        n.fields().forEachRemaining(e -> {
            int value = Integer.parseInt(e.getKey());
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                list.add(new OptionMetadata(value, v.asText(), null, null));
            } else {
                list.add(new OptionMetadata(value, v.path("label").asText(),
                        v.has("state") ? v.get("state").asInt() : null,
                        v.has("defaultStatus") ? v.get("defaultStatus").asInt() : null));
            }
        });
        return new OptionSetMetadata(name, list);
    }

    private static Number number(JsonNode n) {
        return n == null || n.isNull() ? null : n.numberValue();
    }

    private static Object defaultValue(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.asText();
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new MetadataException(where + ": missing '" + field + "'");
        }
        return v.asText();
    }
}
