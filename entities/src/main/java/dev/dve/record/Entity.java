package dev.dve.record;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A row of an entity as the organization service sees it: attribute values by logical name. Values are
 * {@code String}, {@code Integer}, {@code Long}, {@code BigDecimal}, {@code Double}, {@code Boolean},
 * {@code Instant}, {@code UUID} or {@link EntityReference} (lookups); null clears an attribute.
 */
public final class Entity {
    private final String logicalName;
    private UUID id;
    private final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

    public Entity(String logicalName) {
        this(logicalName, null);
    }

    public Entity(String logicalName, UUID id) {
        this.logicalName = logicalName;
        this.id = id;
    }

    public String logicalName() {
        return logicalName;
    }

    public UUID id() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    public boolean contains(String attribute) {
        return attributes.containsKey(attribute);
    }

    public Object get(String attribute) {
        return attributes.get(attribute);
    }

    public Entity set(String attribute, Object value) {
        attributes.put(attribute, value);
        return this;
    }

    public Object remove(String attribute) {
        return attributes.remove(attribute);
    }

    public EntityReference toReference() {
        return new EntityReference(logicalName, id);
    }

    public Entity copy() {
        Entity e = new Entity(logicalName, id);
        e.attributes.putAll(attributes);
        return e;
    }

    @Override
    public String toString() {
        return logicalName + "(" + id + ")" + attributes;
    }
}
