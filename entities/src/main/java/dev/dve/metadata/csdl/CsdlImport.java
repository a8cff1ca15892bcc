package dev.dve.metadata.csdl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.metadata.MetadataException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the entity types of an org's {@code $metadata} into entity data files (the JSON {@code MetadataLoader} reads),
 * so an imported table is served exactly like a shipped one.
 * <ul>
 *   <li>Imported: every entity type that is not abstract, has an entity set and is not already in the catalog
 *   (built-in tables stay as shipped) — or only the ones asked for, plus the tables their lookups point at.</li>
 *   <li>Lookups come from single-valued navigation properties with a referential constraint on an {@code _x_value}
 *   property; several such properties on one {@code _x_value} make a polymorphic lookup. The navigation property's
 *   {@code Partner} names the relationship (the collection-valued navigation property of the target). Collection-valued
 *   navigation properties are the other side of some lookup and are not read.</li>
 *   <li>{@code createdon}/{@code _createdby_value} bring the audit columns, {@code _ownerid_value} the owner columns
 *   (user-owned); {@code _organizationid_value} alone means organization-owned.</li>
 *   <li>{@code statecode}/{@code statuscode} get the options every new Dataverse table has (Active/Inactive); other
 *   {@code Edm.Int32} properties are whole numbers unless typed with an {@code EnumType} (then a choice), because a
 *   real {@code $metadata} carries no option values.</li>
 * </ul>
 * Anything else — composite keys, derived types with a concrete base, complex or collection-typed properties, lookups
 * to tables that cannot be imported — is a {@link MetadataException} naming the type and property: nothing is half
 * loaded.
 */
public final class CsdlImport {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Dataverse gives custom tables object type codes from 10 000 up. */
    private static final int FIRST_OBJECT_TYPE_CODE = 10_000;
    /** A text column without MaxLength: Dataverse's longest single-line text. */
    private static final int DEFAULT_TEXT_LENGTH = 4000;
    private static final int DEFAULT_DECIMAL_SCALE = 10;
    private static final Set<String> AUDIT = Set.of("createdon", "createdby", "createdonbehalfby", "modifiedon", "modifiedby",
            "modifiedonbehalfby", "overriddencreatedon", "versionnumber");
    private static final Set<String> OWNER = Set.of("ownerid", "owninguser", "owningteam", "owningbusinessunit");

    private final CsdlDocument doc;
    private final String source;
    private final Set<String> existing;
    private final Map<String, String> entitySets = new LinkedHashMap<>();

    /**
     * @param existing logical names already in the catalog: such types are not imported, and lookups may target them
     */
    public CsdlImport(CsdlDocument doc, String source, Set<String> existing) {
        this.doc = doc;
        this.source = source;
        this.existing = existing;
        doc.entitySets().forEach((type, set) -> entitySets.put(doc.qualify(type), set));
    }

    /**
     * The entity data files, one per imported table, in a stable order.
     *
     * @param selection logical names to import (with the tables their lookups need); empty means every eligible type
     */
    public List<ObjectNode> entities(Set<String> selection) {
        Map<String, CsdlDocument.EntityType> bySimpleName = new LinkedHashMap<>();
        for (CsdlDocument.EntityType t : doc.entityTypes().values()) {
            bySimpleName.putIfAbsent(t.simpleName(), t);
        }
        Deque<CsdlDocument.EntityType> queue = new ArrayDeque<>();
        if (selection.isEmpty()) {
            bySimpleName.values().stream().filter(t -> eligible(t) && !existing.contains(t.simpleName())).forEach(queue::add);
        } else {
            for (String name : selection) {
                CsdlDocument.EntityType t = bySimpleName.get(name);
                if (t == null) {
                    throw new MetadataException(source + ": entity type '" + name + "' is not in the document");
                }
                if (!existing.contains(name)) {
                    requireEligible(t, "it was asked for");
                    queue.add(t);
                }
            }
        }
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        while (!queue.isEmpty()) {
            CsdlDocument.EntityType t = queue.poll();
            if (out.containsKey(t.simpleName())) {
                continue;
            }
            List<CsdlDocument.EntityType> needed = new ArrayList<>();
            out.put(t.simpleName(), map(t, needed));
            queue.addAll(needed);
        }
        List<String> names = new ArrayList<>(out.keySet());
        names.sort(null);
        List<ObjectNode> files = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ObjectNode n = out.get(names.get(i));
            n.put("objectTypeCode", FIRST_OBJECT_TYPE_CODE + i);
            files.add(n);
        }
        return files;
    }

    private boolean eligible(CsdlDocument.EntityType t) {
        return !t.isAbstract() && entitySets.containsKey(t.name());
    }

    private void requireEligible(CsdlDocument.EntityType t, String why) {
        if (t.isAbstract()) {
            throw new MetadataException(source + ": entity type '" + t.simpleName() + "' is abstract and cannot be imported (" + why + ")");
        }
        if (!entitySets.containsKey(t.name())) {
            throw new MetadataException(source + ": entity type '" + t.simpleName() + "' has no entity set in the container and cannot be imported (" + why + ")");
        }
    }

    private MetadataException error(CsdlDocument.EntityType t, String member, String problem) {
        return new MetadataException(source + ": entity type '" + t.simpleName() + "'" + (member == null ? "" : ", " + member) + ": " + problem);
    }

    /** One entity type as an entity data file; tables its lookups need that are not in the catalog go into {@code needed}. */
    private ObjectNode map(CsdlDocument.EntityType t, List<CsdlDocument.EntityType> needed) {
        checkBase(t);
        if (t.key().size() != 1) {
            throw error(t, null, t.key().isEmpty() ? "has no key" : "has a composite key " + t.key() + "; tables have one GUID key");
        }
        String primaryId = t.key().get(0);
        Map<String, CsdlDocument.Property> properties = new LinkedHashMap<>();
        t.properties().forEach(p -> properties.put(p.name(), p));
        CsdlDocument.Property key = properties.get(primaryId);
        if (key == null || !"Edm.Guid".equals(key.type())) {
            throw error(t, "key " + primaryId, key == null ? "is not a property of the type" : "is " + key.type() + ", not Edm.Guid");
        }
        Map<String, List<CsdlDocument.NavigationProperty>> lookups = lookupNavigations(t);
        boolean audit = properties.containsKey("createdon") && properties.containsKey("_createdby_value");
        boolean owner = properties.containsKey("_ownerid_value");
        ObjectNode file = JSON.objectNode();
        String logical = t.simpleName();
        file.put("logicalName", logical);
        file.put("schemaName", logical);
        file.put("entitySetName", entitySets.get(t.name()));
        file.put("displayName", logical);
        file.put("ownership", owner ? "UserOwned" : properties.containsKey("_organizationid_value") ? "OrganizationOwned" : "None");
        file.put("primaryId", primaryId);
        String primaryName = primaryName(logical, properties);
        if (primaryName != null) {
            file.put("primaryName", primaryName);
        }
        var traits = file.putArray("traits");
        if (audit) {
            traits.add("audit");
        }
        if (owner) {
            traits.add("owner");
        }
        ObjectNode attributes = file.putObject("attributes");
        for (CsdlDocument.Property p : t.properties()) {
            if (p.name().equals(primaryId)) {
                continue;
            }
            String name = lookupName(p.name());
            if (name != null && (audit && AUDIT.contains(name) || owner && OWNER.contains(name))) {
                continue;
            }
            if (name == null && audit && AUDIT.contains(p.name())) {
                continue;
            }
            if (name != null && lookups.containsKey(p.name())) {
                if (!"Edm.Guid".equals(p.type())) {
                    throw error(t, "property " + p.name(), "a lookup value must be Edm.Guid, not " + p.type());
                }
                attributes.set(name, lookup(t, name, lookups.get(p.name()), needed));
            } else {
                attributes.set(p.name(), primitive(t, p));
            }
        }
        for (String constrained : lookups.keySet()) {
            if (!properties.containsKey(constrained)) {
                throw error(t, "navigation property " + lookups.get(constrained).get(0).name(),
                        "its referential constraint names " + constrained + ", which is not a property of the type");
            }
        }
        return file;
    }

    /** Only types deriving from an abstract base without members (Dataverse's {@code crmbaseentity}) are tables of their own. */
    private void checkBase(CsdlDocument.EntityType t) {
        if (t.baseType() == null) {
            return;
        }
        CsdlDocument.EntityType base = doc.entityTypes().get(doc.qualify(t.baseType()));
        if (base == null || !base.isAbstract() || !base.properties().isEmpty() || !base.navigations().isEmpty() || !base.key().isEmpty()) {
            throw error(t, null, "derives from " + t.baseType() + "; only types deriving from an abstract base without "
                    + "properties (mscrm.crmbaseentity) can be imported");
        }
    }

    /** Single-valued navigation properties by the {@code _x_value} property their referential constraint names. */
    private Map<String, List<CsdlDocument.NavigationProperty>> lookupNavigations(CsdlDocument.EntityType t) {
        Map<String, List<CsdlDocument.NavigationProperty>> out = new LinkedHashMap<>();
        for (CsdlDocument.NavigationProperty n : t.navigations()) {
            if (n.isCollection() || n.constraints().isEmpty()) {
                continue;
            }
            if (n.constraints().size() != 1) {
                throw error(t, "navigation property " + n.name(), "has " + n.constraints().size() + " referential constraints; a lookup has one");
            }
            String property = n.constraints().get(0).property();
            if (lookupName(property) == null) {
                throw error(t, "navigation property " + n.name(), "its referential constraint names " + property + ", not a lookup value (_name_value)");
            }
            out.computeIfAbsent(property, k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /** {@code x} for {@code _x_value}, else null. */
    private static String lookupName(String property) {
        if (property != null && property.length() > "__value".length() && property.startsWith("_") && property.endsWith("_value")) {
            return property.substring(1, property.length() - "_value".length());
        }
        return null;
    }

    private ObjectNode lookup(CsdlDocument.EntityType t, String name, List<CsdlDocument.NavigationProperty> navs,
                              List<CsdlDocument.EntityType> needed) {
        ObjectNode a = JSON.objectNode();
        ObjectNode targets = JSON.objectNode();
        Set<String> targetNames = new LinkedHashSet<>();
        for (CsdlDocument.NavigationProperty n : navs) {
            String qualified = doc.qualify(n.type());
            String targetName = qualified.substring(qualified.lastIndexOf('.') + 1);
            if (n.partner() == null || n.partner().isBlank()) {
                throw error(t, "navigation property " + n.name(), "has no Partner: the relationship's name is unknown");
            }
            if (!existing.contains(targetName)) {
                // a table the catalog has may be left out of a trimmed document; any other must be in it
                CsdlDocument.EntityType target = doc.entityTypes().get(qualified);
                if (target == null) {
                    throw error(t, "navigation property " + n.name(), "its type " + n.type() + " is neither an entity type of the document nor a built-in table");
                }
                requireEligible(target, "lookup " + t.simpleName() + "." + name + " points at it");
                needed.add(target);
            }
            if (!targetNames.add(targetName)) {
                throw error(t, "navigation property " + n.name(), "a second navigation property of lookup " + name + " to " + targetName);
            }
            ObjectNode target1 = targets.putObject(targetName);
            target1.put("relationship", n.partner());
            target1.put("navigation", n.name());
        }
        a.put("type", targetNames.equals(Set.of("account", "contact")) ? "Customer" : "Lookup");
        a.set("targets", targets);
        return a;
    }

    private ObjectNode primitive(CsdlDocument.EntityType t, CsdlDocument.Property p) {
        ObjectNode a = JSON.objectNode();
        String where = "property " + p.name();
        String type = p.type();
        if (type == null) {
            throw error(t, where, "has no Type");
        }
        if (lookupName(p.name()) != null && "Edm.Guid".equals(type)) {
            throw error(t, where, "looks like a lookup value but no navigation property with a referential constraint names it");
        }
        switch (type) {
            case "Edm.String" -> text(t, p, a);
            case "Edm.Int32" -> {
                if (p.name().equals("statecode")) {
                    a.put("type", "State").put("required", "SystemRequired").put("default", 0);
                    ObjectNode o = a.putObject("options");
                    o.putObject("0").put("label", "Active").put("defaultStatus", 1);
                    o.putObject("1").put("label", "Inactive").put("defaultStatus", 2);
                } else if (p.name().equals("statuscode")) {
                    a.put("type", "Status");
                    ObjectNode o = a.putObject("options");
                    o.putObject("1").put("label", "Active").put("state", 0);
                    o.putObject("2").put("label", "Inactive").put("state", 1);
                } else {
                    a.put("type", "Integer");
                }
            }
            case "Edm.Int64" -> a.put("type", "BigInt");
            case "Edm.Decimal" -> a.put("type", "Decimal").put("precision", scale(t, p));
            case "Edm.Double" -> a.put("type", "Double");
            case "Edm.Boolean" -> a.put("type", "Boolean");
            case "Edm.DateTimeOffset" -> a.put("type", "DateTime");
            case "Edm.Date" -> a.put("type", "DateTime").put("format", "DateOnly");
            case "Edm.Guid" -> a.put("type", "Uniqueidentifier");
            // the Web API's JSON form of Edm.Binary is base64 text: kept as text, listed as Edm.String
            case "Edm.Binary" -> a.put("type", "Memo").put("maxLength", 1_073_741_823);
            default -> enumeration(t, p, a);
        }
        return a;
    }

    private void text(CsdlDocument.EntityType t, CsdlDocument.Property p, ObjectNode a) {
        String max = p.maxLength();
        if (max == null) {
            a.put("type", "String").put("maxLength", DEFAULT_TEXT_LENGTH);
            return;
        }
        if (max.equalsIgnoreCase("max")) {
            a.put("type", "Memo").put("maxLength", 1_048_576);
            return;
        }
        try {
            int n = Integer.parseInt(max);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            a.put("type", n > DEFAULT_TEXT_LENGTH ? "Memo" : "String").put("maxLength", n);
        } catch (NumberFormatException e) {
            throw error(t, "property " + p.name(), "MaxLength '" + max + "' is not a positive number or max");
        }
    }

    private int scale(CsdlDocument.EntityType t, CsdlDocument.Property p) {
        if (p.scale() == null || p.scale().equalsIgnoreCase("variable") || p.scale().equalsIgnoreCase("floating")) {
            return DEFAULT_DECIMAL_SCALE;
        }
        try {
            int n = Integer.parseInt(p.scale());
            if (n < 0 || n > DEFAULT_DECIMAL_SCALE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw error(t, "property " + p.name(), "Scale '" + p.scale() + "' is not a number from 0 to " + DEFAULT_DECIMAL_SCALE);
        }
    }

    private void enumeration(CsdlDocument.EntityType t, CsdlDocument.Property p, ObjectNode a) {
        String where = "property " + p.name();
        String qualified = doc.qualify(p.type());
        CsdlDocument.EnumType e = doc.enumTypes().get(qualified);
        if (e != null) {
            if (e.isFlags()) {
                throw error(t, where, "enum type " + p.type() + " is a flags enum, which is not supported");
            }
            if (e.members().isEmpty()) {
                throw error(t, where, "enum type " + p.type() + " has no members");
            }
            a.put("type", "Picklist").put("optionSetName", e.name().substring(e.name().lastIndexOf('.') + 1));
            ObjectNode o = a.putObject("options");
            e.members().forEach((label, value) -> {
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw error(t, where, "enum member " + label + " = " + value + " is not a 32-bit choice value");
                }
                o.put(String.valueOf(value), label);
            });
            return;
        }
        if (p.type().startsWith("Collection(")) {
            throw error(t, where, "collection-valued property of type " + p.type() + " is not supported");
        }
        if (doc.complexTypes().contains(qualified)) {
            throw error(t, where, "complex type " + p.type() + " is not supported");
        }
        throw error(t, where, "type " + p.type() + " is not supported (Edm.String, Int32, Int64, Decimal, Double, Boolean, "
                + "DateTimeOffset, Date, Guid, Binary and enum types are)");
    }

    /** A custom table's primary column is {@code <prefix>_name}; system tables use {@code name}. */
    private static String primaryName(String logical, Map<String, CsdlDocument.Property> properties) {
        int underscore = logical.indexOf('_');
        List<String> candidates = new ArrayList<>();
        if (underscore > 0) {
            candidates.add(logical.substring(0, underscore) + "_name");
        }
        candidates.add("name");
        for (String c : candidates) {
            CsdlDocument.Property p = properties.get(c);
            if (p != null && "Edm.String".equals(p.type())) {
                return c;
            }
        }
        return null;
    }
}
