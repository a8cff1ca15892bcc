package dev.dve.engine.organization;

import dev.dve.record.Entity;

import java.util.List;

/** Rows answered by RetrieveMultiple, with the total count when it was asked for (else -1). */
public record EntityCollection(List<Entity> entities, long totalRecordCount) {
}
