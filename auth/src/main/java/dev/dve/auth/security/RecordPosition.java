package dev.dve.auth.security;

import java.util.UUID;

/** Where a row sits for access checks: its owner (user or team) and its business unit. */
public record RecordPosition(UUID recordId, UUID ownerId, String ownerType, UUID businessUnitId) {
}
