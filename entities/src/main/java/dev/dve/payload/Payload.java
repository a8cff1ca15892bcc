package dev.dve.payload;

import dev.dve.record.Entity;

import java.util.ArrayList;
import java.util.List;

/**
 * A record as a client sent it: the attribute values (lookups resolved from {@code @odata.bind}), the related
 * records to create first and bind (single-valued deep insert), and the related records to create after it
 * (collection-valued deep insert, by relationship schema name).
 */
public record Payload(Entity entity, List<BoundInsert> before, List<RelatedInsert> after) {
    public Payload(Entity entity) {
        this(entity, new ArrayList<>(), new ArrayList<>());
    }

    /** A record to create, then point {@code lookupAttribute} of the parent at. */
    public record BoundInsert(String lookupAttribute, Payload related) {
    }

    /** A record to create after the parent, pointing back at it through {@code lookupAttribute}. */
    public record RelatedInsert(String lookupAttribute, Payload related) {
    }
}
