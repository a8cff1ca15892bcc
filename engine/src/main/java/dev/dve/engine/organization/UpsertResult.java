package dev.dve.engine.organization;

import java.util.UUID;

/** What an upsert did: created the row or updated it. */
public record UpsertResult(UUID id, boolean created) {
}
