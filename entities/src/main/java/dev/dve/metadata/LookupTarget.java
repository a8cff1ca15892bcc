package dev.dve.metadata;

/**
 * One entity a lookup may point at. {@code relationship} is the schema name of the one-to-many relationship,
 * which is also the collection-valued navigation property on the target; {@code navigation} is the
 * single-valued navigation property on the referencing entity; {@code cascade} is the relationship's cascade
 * configuration when the entity file gives one (null: the catalog's, {@code metadata/cascades.json}, or none).
 */
public record LookupTarget(String entity, String relationship, String navigation, CascadeConfiguration cascade) {
    public LookupTarget(String entity, String relationship, String navigation) {
        this(entity, relationship, navigation, null);
    }
}
