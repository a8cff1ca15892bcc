package dev.dve.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one table as Microsoft's table reference documents them ({@code metadata/reference/<table>.json},
 * extracted by {@code entities/tools/reference_extract.py}), turned into entity-file attribute definitions. A
 * column the emulator cannot hold is left out: types without a representation here (images, files, party lists,
 * virtual columns) and lookups none of whose documented targets the emulator ships (or whose relationship the
 * reference does not name).
 */
public final class ReferenceColumns {
    /** Reference types the loader has no attribute type for. */
    public static final Set<String> NOT_CARRIED = Set.of("Virtual", "File", "Image", "PartyList", "ManagedProperty", "CalendarRules");

    private final JsonNode reference;

    public ReferenceColumns(JsonNode reference) {
        this.reference = reference;
    }

    /** Entity-file attribute definitions of every column the emulator can hold, given the entities it ships. */
    public Map<String, ObjectNode> columns(Set<String> shippedEntities) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        reference.path("attributes").fields().forEachRemaining(f -> {
            ObjectNode column = column(f.getKey(), f.getValue(), shippedEntities);
            if (column != null) {
                out.put(f.getKey(), column);
            }
        });
        return out;
    }

    private ObjectNode column(String name, JsonNode ref, Set<String> shippedEntities) {
        String type = ref.path("type").asText();
        if (NOT_CARRIED.contains(type) || !readable(ref)) {
            return null;
        }
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("type", type);
        if (!"None".equals(ref.path("required").asText("None"))) {
            a.put("required", ref.path("required").asText());
        }
        for (String field : new String[] {"maxLength", "min", "max", "precision", "default"}) {
            // a money column's precision is how it is shown; the platform stores and answers four decimals
            if (ref.has(field) && !(field.equals("precision") && type.equals("Money"))) {
                a.set(field, ref.get(field));
            }
        }
        if ("DateOnly".equals(ref.path("format").asText())) {
            a.put("format", "DateOnly");
        }
        boolean create = ref.path("validForCreate").asBoolean(true);
        boolean update = ref.path("validForUpdate").asBoolean(true);
        if (!create && !update) {
            a.put("readOnly", true);
        } else if (create && !update) {
            a.put("createOnly", true);
        }
        if (ref.has("options")) {
            a.set("options", ref.get("options"));
        }
        if (ref.has("targets")) {
            ObjectNode targets = a.putObject("targets");
            for (JsonNode t : ref.path("targets")) {
                String relationship = relationship(name, t.asText());
                if (relationship != null && shippedEntities.contains(t.asText())) {
                    targets.put(t.asText(), relationship);
                }
            }
            if (targets.isEmpty() && !untargeted(ref)) {
                return "Owner".equals(type) ? a : null;
            }
        }
        return a;
    }

    /** A column the platform keeps for itself: documented, but not valid for read (so never a Web API property). */
    public static boolean readable(JsonNode ref) {
        return ref.path("validForRead").asBoolean(true);
    }

    /**
     * A lookup documented without targets (workflowlog.regardingobjectid): it holds a record of any table and its
     * logical name, with no relationship and no navigation property.
     */
    public static boolean untargeted(JsonNode ref) {
        return "Lookup".equals(ref.path("type").asText()) && ref.path("targets").isArray() && ref.path("targets").isEmpty();
    }

    /** The documented many-to-one relationship of a lookup column to one of its targets. */
    public String relationship(String attribute, String target) {
        for (Iterator<Map.Entry<String, JsonNode>> it = reference.path("manyToOne").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (attribute.equals(r.getValue().path("attribute").asText(null)) && target.equals(r.getValue().path("target").asText())) {
                return r.getKey();
            }
        }
        return null;
    }

    /**
     * A shipped definition of a documented lookup keeps only documented targets: a trait's owner column, say,
     * loses {@code team} where Microsoft lists only {@code systemuser} (workflow.ownerid). The entity file's own
     * targets are laid over afterwards, so an emulator addition stays.
     */
    public JsonNode documentedTargetsOnly(String attribute, JsonNode definition) {
        JsonNode documented = reference.path("attributes").path(attribute).path("targets");
        if (!documented.isArray() || documented.isEmpty() || !definition.path("targets").isObject()) {
            return definition;
        }
        Set<String> allowed = new java.util.HashSet<>();
        documented.forEach(t -> allowed.add(t.asText()));
        ObjectNode out = ((ObjectNode) definition).deepCopy();
        ((ObjectNode) out.get("targets")).retain(allowed);
        return out;
    }

    /**
     * {@code top} laid over {@code base} field by field; lookup targets target by target, so a documented
     * relationship name replaces a trait's while the trait's navigation property stays.
     */
    public static JsonNode overlay(JsonNode base, ObjectNode top) {
        if (base == null || !base.isObject()) {
            return top;
        }
        ObjectNode out = ((ObjectNode) base).deepCopy();
        top.fields().forEachRemaining(f -> {
            if (f.getKey().equals("targets") && out.path("targets").isObject()) {
                ObjectNode targets = (ObjectNode) out.get("targets");
                f.getValue().fields().forEachRemaining(t -> {
                    JsonNode existing = targets.get(t.getKey());
                    if (existing != null && existing.isObject() && t.getValue().isTextual()) {
                        ((ObjectNode) existing).put("relationship", t.getValue().asText());
                    } else {
                        targets.set(t.getKey(), t.getValue());
                    }
                });
            } else {
                out.set(f.getKey(), f.getValue());
            }
        });
        return out;
    }
}
