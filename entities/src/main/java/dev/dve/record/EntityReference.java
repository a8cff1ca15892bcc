package dev.dve.record;

import java.util.UUID;

/** A pointer to a row of an entity, with its primary name when known (as lookups carry it). */
public record EntityReference(String logicalName, UUID id, String name) {
    public EntityReference(String logicalName, UUID id) {
        this(logicalName, id, null);
    }

    public EntityReference withName(String newName) {
        return new EntityReference(logicalName, id, newName);
    }
}
