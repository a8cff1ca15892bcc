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
    /**
     * Every relationship with each of its referenced entities: an owner lookup's one relationship ({@code owner_accounts})
     * is here once for systemuser and once for team, both with the single navigation property {@code ownerid}.
     */
    private final List<OneToManyRelationship> sides = new ArrayList<>();

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
                    OneToManyRelationship existing = relationships.putIfAbsent(r.schemaName(), r);
                    // the targets of one lookup may share a relationship (an owner's principal: systemuser or team)
                    if (existing != null && !(existing.referencingEntity().equals(r.referencingEntity())
                            && existing.referencingAttribute().equals(r.referencingAttribute())
                            && existing.referencingNavigation().equals(r.referencingNavigation()))) {
                        throw new MetadataException("Relationship '" + r.schemaName() + "' is defined twice");
                    }
                    sides.add(r);
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

    /** The relationship as seen from one of its referenced entities (an owner relationship from systemuser or team). */
    public Optional<OneToManyRelationship> relationship(String schemaName, String referencedEntity) {
        return sides.stream().filter(r -> r.schemaName().equals(schemaName) && r.referencedEntity().equals(referencedEntity)).findFirst();
    }

    /**
     * The entities a single-valued navigation property may lead to: one, or systemuser and team for an owner's
     * {@code ownerid} (its CSDL type is their base type, principal).
     */
    public List<OneToManyRelationship> navigationTargets(String referencingEntity, String navigation) {
        return sides.stream().filter(r -> r.referencingEntity().equals(referencingEntity) && r.referencingNavigation().equals(navigation)).toList();
    }

    /** Whether the relationship leads from an owner lookup to principal (systemuser or team): shared by several entities. */
    public boolean isPrincipalRelationship(OneToManyRelationship r) {
        return sides.stream().filter(x -> x.schemaName().equals(r.schemaName())).count() > 1;
    }

    /** Relationships in which the entity is the "one" side: its collection-valued navigation properties. */
    public List<OneToManyRelationship> oneToMany(String referencedEntity) {
        List<OneToManyRelationship> out = new ArrayList<>();
        for (OneToManyRelationship r : sides) {
            if (r.referencedEntity().equals(referencedEntity)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Relationships in which the entity is the "many" side: its single-valued navigation properties, one per
     * property (for {@code ownerid}, the systemuser side of the owner relationship).
     */
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
