package dev.dve.auth;

import java.util.UUID;

/**
 * Who an operation runs as: the system user, the business unit it belongs to, the user acting on its behalf
 * when impersonating (null otherwise), and the depth of the call chain (1 for a client's request, one more for
 * each operation a workflow performs).
 */
public record CallerContext(UUID userId, UUID businessUnitId, UUID onBehalfOf, int depth) {
    public CallerContext(UUID userId, UUID businessUnitId, UUID onBehalfOf) {
        this(userId, businessUnitId, onBehalfOf, 1);
    }

    public CallerContext(UUID userId, UUID businessUnitId) {
        this(userId, businessUnitId, null, 1);
    }

    /** The same caller one level deeper (an operation a workflow step performs). */
    public CallerContext deeper() {
        return new CallerContext(userId, businessUnitId, onBehalfOf, depth + 1);
    }

    public CallerContext atDepth(int d) {
        return new CallerContext(userId, businessUnitId, onBehalfOf, d);
    }
}
