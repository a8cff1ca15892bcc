package dev.dve.auth.security;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A user as the access checks see it: its business unit, its teams, its privileges, the business-unit tree and
 * what a refusal message names.
 */
public record SecurityPrincipal(UUID userId, UUID businessUnitId, Set<UUID> teams, PrivilegeSet privileges,
                                Map<UUID, UUID> businessUnitParents, int roleCount, String accessMode,
                                UUID aadObjectId) {
    public SecurityPrincipal {
        // a principal may be kept and shared between requests: nothing may change it
        teams = java.util.Collections.unmodifiableSet(new java.util.HashSet<>(teams));
        businessUnitParents = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(businessUnitParents));
    }

    /** Whether the business unit is the principal's own or one below it. */
    public boolean inOwnSubtree(UUID businessUnit) {
        UUID bu = businessUnit;
        for (int guard = 0; bu != null && guard < 1000; guard++) {
            if (bu.equals(businessUnitId)) {
                return true;
            }
            bu = businessUnitParents.get(bu);
        }
        return false;
    }

    /** The principal's business unit and every unit below it. */
    public Set<UUID> subtree() {
        Set<UUID> out = new java.util.HashSet<>();
        for (UUID bu : businessUnitParents.keySet()) {
            if (inOwnSubtree(bu)) {
                out.add(bu);
            }
        }
        out.add(businessUnitId);
        return out;
    }

    public SecurityPrincipal withPrivileges(PrivilegeSet p) {
        return new SecurityPrincipal(userId, businessUnitId, teams, p, businessUnitParents, roleCount, accessMode, aadObjectId);
    }
}
