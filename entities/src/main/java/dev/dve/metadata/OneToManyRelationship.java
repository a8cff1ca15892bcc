package dev.dve.metadata;

/**
 * A one-to-many relationship: rows of {@code referencingEntity} point at a {@code referencedEntity} row through
 * {@code referencingAttribute}. Its schema name is the collection-valued navigation property on the referenced
 * entity; {@code referencingNavigation} is the single-valued one on the referencing entity. {@code cascade} says
 * what deleting (assigning, sharing …) the referenced row does to the referencing rows.
 */
public record OneToManyRelationship(
        String schemaName,
        String referencedEntity,
        String referencingEntity,
        String referencingAttribute,
        String referencingNavigation,
        CascadeConfiguration cascade) {

    /** A relationship along which nothing cascades. */
    public OneToManyRelationship(String schemaName, String referencedEntity, String referencingEntity,
                                 String referencingAttribute, String referencingNavigation) {
        this(schemaName, referencedEntity, referencingEntity, referencingAttribute, referencingNavigation, CascadeConfiguration.NONE);
    }
}
