package dev.dve.auth;

import java.util.UUID;

/**
 * Who an operation runs as: the system user, the business unit it belongs to, and the user acting on its behalf
 * when impersonating (null otherwise).
 */
public record CallerContext(UUID userId, UUID businessUnitId, UUID onBehalfOf) {
    public CallerContext(UUID userId, UUID businessUnitId) {
        this(userId, businessUnitId, null);
    }
}
