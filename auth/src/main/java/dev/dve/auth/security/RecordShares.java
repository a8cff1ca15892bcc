package dev.dve.auth.security;

import dev.dve.metadata.EntityMetadata;

import java.util.UUID;

/**
 * The rights a record's shares ({@code principalobjectaccess} rows) give a principal: the rights shared with the user
 * and with each of its teams, direct and inherited, as one {@link AccessRight} flag mask.
 */
@FunctionalInterface
public interface RecordShares {
    /** The table where Dataverse keeps shares. */
    String ENTITY = "principalobjectaccess";

    int rights(SecurityPrincipal p, EntityMetadata e, UUID recordId);
}
