package dev.dve.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every entity the emulator knows, with the relationships derived from their lookups. */
public final class MetadataCatalog {
    private final Map<String, EntityMetadata> byLogicalName = new LinkedHashMap<>();
    private final Map<String, EntityMetadata> bySetName = new LinkedHashMap<>();
    private final Map<String, OneToManyRelationship> relationships = new LinkedHashMap<>();

    public MetadataCatalog(Collection<EntityMetadata> entities) {
        this(entities, Map.of());
    }

    /**
     * The catalog of the given entities; {@code cascades} gives relationships (by schema name) their cascade
     * configuration where the lookup target does not declare one itself.
     */
    public MetadataCatalog(Collection<EntityMetadata> entities, Map<String, CascadeConfiguration> cascades) {
        for (EntityMetadata e : entities) {
            if (byLogicalName.put(e.logicalName(), e) != null) {
                throw new MetadataException("Entity '" + e.logicalName() + "' is defined twice");
            }
            if (bySetName.put(e.entitySetName(), e) != null) {
                throw new MetadataException("Entity set '" + e.entitySetName() + "' is defined twice");
            }
        }
        for (EntityMetadata e : entities) {
            for (AttributeMetadata a : e.attributes()) {
                if (!a.type().isLookup()) {
                    continue;
                }
                for (LookupTarget t : a.targets()) {
                    if (!byLogicalName.containsKey(t.entity())) {
                        throw new MetadataException("Lookup " + e.logicalName() + "." + a.logicalName()
                                + " targets unknown entity '" + t.entity() + "'");
                    }
                    CascadeConfiguration cascade = t.cascade() != null ? t.cascade()
                            : cascades.getOrDefault(t.relationship(), CascadeConfiguration.NONE);
                    OneToManyRelationship r = new OneToManyRelationship(t.relationship(), t.entity(),
                            e.logicalName(), a.logicalName(), t.navigation(), cascade);
                    if (relationships.put(r.schemaName(), r) != null) {
                        throw new MetadataException("Relationship '" + r.schemaName() + "' is defined twice");
                    }
                }
            }
        }
    }

    public Collection<EntityMetadata> entities() {
        return byLogicalName.values();
    }

    /**
     * Whether the lookup {@code entity.attribute} may point at a row of {@code target}: a platform writer (the async
     * service, the workflow engine) names a regarding record only where the table's documented relationships allow.
     */
    public boolean lookupAccepts(String entity, String attribute, String target) {
        return entity(entity).flatMap(e -> e.attribute(attribute)).flatMap(a -> a.target(target)).isPresent();
    }

    public Optional<EntityMetadata> entity(String logicalName) {
        return Optional.ofNullable(byLogicalName.get(logicalName));
    }

    public EntityMetadata require(String logicalName) {
        EntityMetadata e = byLogicalName.get(logicalName);
        if (e == null) {
            throw new MetadataException("Unknown entity '" + logicalName + "'");
        }
        return e;
    }

    public Optional<EntityMetadata> byEntitySet(String setName) {
        return Optional.ofNullable(bySetName.get(setName));
    }

    public Collection<OneToManyRelationship> relationships() {
        return relationships.values();
    }

    public Optional<OneToManyRelationship> relationship(String schemaName) {
        return Optional.ofNullable(relationships.get(schemaName));
    }

    /** Relationships in which the entity is the "one" side: its collection-valued navigation properties. */
    public List<OneToManyRelationship> oneToMany(String referencedEntity) {
        List<OneToManyRelationship> out = new ArrayList<>();
        for (OneToManyRelationship r : relationships.values()) {
            if (r.referencedEntity().equals(referencedEntity)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Relationships in which the entity is the "many" side: its single-valued navigation properties. */
    public List<OneToManyRelationship> manyToOne(String referencingEntity) {
        List<OneToManyRelationship> out = new ArrayList<>();
        for (OneToManyRelationship r : relationships.values()) {
            if (r.referencingEntity().equals(referencingEntity)) {
                out.add(r);
            }
        }
        return out;
    }
}
