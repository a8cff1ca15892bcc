package dev.dve.engine.security;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.security.AccessRight;
import dev.dve.auth.security.RecordPosition;
import dev.dve.auth.security.RecordShares;
import dev.dve.auth.security.SecurityModel;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.store.Database;
import dev.dve.store.RecordStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Record sharing: the GrantAccess, ModifyAccess and RevokeAccess messages, RetrieveSharedPrincipalsAndAccess and
 * RetrievePrincipalAccess. A share is one {@code principalobjectaccess} row per record and principal (user or team)
 * holding an {@link AccessRight} mask; {@link AccessPolicy} reads them for every check. Sharing needs the Share
 * privilege reaching the record (or a share with ShareAccess), and only rights the caller holds on the record can be
 * shared. As an update rule it removes a record's shares when the record is deleted, and the shares naming a user or
 * team when that principal is deleted; an assignment keeps them.
 */
public final class RecordSharing implements OrganizationService.UpdateRule {
    private static final String SHARES = RecordShares.ENTITY;
    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final Database database;
    private final java.util.function.Supplier<java.time.Instant> clock;
    private final RecordStore store;
    private final AccessPolicy access;
    private final SecurityModel security;

    /** One share: who, and which rights. */
    public record PrincipalAccess(EntityReference principal, int accessMask) {
    }

    public RecordSharing(OrganizationService service, MetadataCatalog catalog, Database database, RecordStore store, AccessPolicy access,
                         java.util.function.Supplier<java.time.Instant> clock, SecurityModel security) {
        this.service = service;
        this.clock = clock;
        this.catalog = catalog;
        this.database = database;
        this.store = store;
        this.access = access;
        this.security = security;
    }

    /** GrantAccess: adds the rights to the principal's share of the record (creating the share). */
    public void grant(CallerContext caller, EntityReference target, EntityReference principal, int mask) {
        share(caller, target, principal, mask, true);
    }

    /** ModifyAccess: the principal's share of the record holds exactly these rights from now on. */
    public void modify(CallerContext caller, EntityReference target, EntityReference principal, int mask) {
        share(caller, target, principal, mask, false);
    }

    private void share(CallerContext caller, EntityReference target, EntityReference principal, int mask, boolean add) {
        if ((mask & ~AccessRight.ALL) != 0) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The AccessMask " + mask + " holds no access right of Dataverse.");
        }
        database.inTransaction(c -> {
            EntityMetadata e = shareable(target);
            requirePrincipal(c, principal);
            RecordPosition row = lockRecord(c, e, target.id());
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireRecord(p, e, AccessRight.SHARE, row);
                // a user shares only what it holds on the record itself
                for (AccessRight r : AccessRight.values()) {
                    if ((mask & r.flag()) != 0) {
                        access.requireRecord(p, e, r, row);
                    }
                }
            }
            Optional<Entity> existing = share(c, e, target.id(), principal.id());
            if (existing.isPresent()) {
                int before = existing.get().get("accessrightsmask") instanceof Number n ? n.intValue() : 0;
                service.updateTrusted(caller, new Entity(SHARES, existing.get().id())
                        .set("accessrightsmask", add ? before | mask : mask)
                        .set("changedon", clock.get()));
            } else {
                service.createTrusted(caller, new Entity(SHARES, UUID.randomUUID())
                        .set("principalid", principal.id())
                        .set("principaltypecode", principal.logicalName())
                        .set("objectid", target.id())
                        .set("objecttypecode", e.logicalName())
                        .set("accessrightsmask", mask)
                        .set("inheritedaccessrightsmask", 0)
                        .set("changedon", clock.get()), false);
            }
            return null;
        });
    }

    /** RevokeAccess: removes the principal's share of the record; nothing to remove is not an error. */
    public void revoke(CallerContext caller, EntityReference target, EntityReference revokee) {
        database.inTransaction(c -> {
            EntityMetadata e = shareable(target);
            requirePrincipal(c, revokee);
            RecordPosition row = lockRecord(c, e, target.id());
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireRecord(p, e, AccessRight.SHARE, row);
            }
            Optional<Entity> existing = share(c, e, target.id(), revokee.id());
            if (existing.isPresent()) {
                store.delete(c, SHARES, existing.get().id(), null);
            }
            return null;
        });
    }

    /** RetrieveSharedPrincipalsAndAccess: every share of the record, for a caller who may read it. */
    public List<PrincipalAccess> sharedPrincipals(CallerContext caller, EntityReference target) {
        return database.inTransaction(c -> {
            EntityMetadata e = shareable(target);
            RecordPosition row = position(c, e, target.id());
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireRecord(p, e, AccessRight.READ, row);
            }
            List<PrincipalAccess> out = new ArrayList<>();
            for (Entity s : store.retrieveMultiple(c, sharesOf(e, target.id())
                    .columns(List.of("principalid", "principaltypecode", "accessrightsmask")).orderBy("principalid", false))) {
                String type = s.get("principaltypecode") instanceof String t ? t : "systemuser";
                out.add(new PrincipalAccess(new EntityReference(type, uuid(s.get("principalid"))),
                        s.get("accessrightsmask") instanceof Number n ? n.intValue() : 0));
            }
            return out;
        });
    }

    /**
     * RetrievePrincipalAccess: the rights a user (or team) has on the record — from its privileges' depth and from the
     * record's shares with it (a user's also through its teams). The caller needs to be able to read users (teams).
     */
    public int principalAccess(CallerContext caller, EntityReference principal, EntityReference target) {
        return database.inTransaction(c -> {
            EntityMetadata principalEntity = principalEntity(principal);
            EntityMetadata e = entity(target.logicalName());
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireEntity(p, principalEntity, AccessRight.READ);
            }
            if (!store.exists(c, principalEntity, principal.id())) {
                throw DataverseFault.notFound(principalEntity.logicalName(), principal.id());
            }
            RecordPosition row = position(c, e, target.id());
            if (WellKnownPrincipals.SYSTEM_USER.equals(principal.id())) {
                return AccessRight.ALL;
            }
            SecurityPrincipal of = principalEntity.logicalName().equals("team")
                    ? security.teamPrincipal(c, principal.id()) : security.principal(c, principal.id());
            return access.rights(of, e, row);
        });
    }

    @Override
    public void beforeUpdate(SecurityPrincipal principal, EntityMetadata entity, Entity existing, Entity changes) {
        // an assignment keeps the record's shares, as Dataverse does by default
    }

    /** A deleted record takes its shares with it; a deleted user or team the shares naming it. */
    @Override
    public void beforeDelete(SecurityPrincipal principal, EntityMetadata entity, Entity existing) {
        if (catalog.entity(SHARES).isEmpty()) {
            return;
        }
        List<QueryExpression> gone = new ArrayList<>();
        if (access.shareable(entity)) {
            gone.add(sharesOf(entity, existing.id()));
        }
        if (entity.logicalName().equals("systemuser") || entity.logicalName().equals("team")) {
            gone.add(new QueryExpression(SHARES).where(Condition.of("principalid", ConditionOperator.EQUAL, existing.id())));
        }
        if (gone.isEmpty()) {
            return;
        }
        database.inTransaction(c -> {
            for (QueryExpression q : gone) {
                for (Entity s : store.retrieveMultiple(c, q.columns(List.of()))) {
                    store.delete(c, SHARES, s.id(), null);
                }
            }
            return null;
        });
    }

    private Optional<Entity> share(Connection c, EntityMetadata e, UUID recordId, UUID principalId) throws SQLException {
        List<Entity> rows = store.retrieveMultiple(c, sharesOf(e, recordId)
                .where(Condition.of("principalid", ConditionOperator.EQUAL, principalId))
                .columns(List.of("accessrightsmask")));
        return rows.stream().findFirst();
    }

    private static QueryExpression sharesOf(EntityMetadata e, UUID recordId) {
        return new QueryExpression(SHARES)
                .where(Condition.of("objectid", ConditionOperator.EQUAL, recordId))
                .where(Condition.of("objecttypecode", ConditionOperator.EQUAL, e.logicalName()));
    }

    /** Locks the record (share changes of one record queue, so two grants never make two shares) and reads its position. */
    private RecordPosition lockRecord(Connection c, EntityMetadata e, UUID id) throws SQLException {
        if (!store.lock(c, e, id)) {
            throw DataverseFault.notFound(e.logicalName(), id);
        }
        return position(c, e, id);
    }

    private RecordPosition position(Connection c, EntityMetadata e, UUID id) throws SQLException {
        Entity row = store.retrieve(c, e.logicalName(), id, access.positionAttributes(e), false)
                .orElseThrow(() -> DataverseFault.notFound(e.logicalName(), id));
        return access.position(e, row);
    }

    private EntityMetadata shareable(EntityReference target) {
        if (catalog.entity(SHARES).isEmpty()) {
            throw new DataverseFault(ErrorCode.NOT_SUPPORTED, "Sharing needs the principalobjectaccess table, which this catalog lacks.");
        }
        EntityMetadata e = entity(target.logicalName());
        if (!access.shareable(e)) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Records of '" + e.logicalName()
                    + "' cannot be shared: only user- or team-owned records can.");
        }
        return e;
    }

    private void requirePrincipal(Connection c, EntityReference principal) throws SQLException {
        EntityMetadata pe = principalEntity(principal);
        if (!store.exists(c, pe, principal.id())) {
            throw DataverseFault.notFound(pe.logicalName(), principal.id());
        }
    }

    private EntityMetadata principalEntity(EntityReference principal) {
        if (!principal.logicalName().equals("systemuser") && !principal.logicalName().equals("team")) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The principal must be a systemuser or a team, not '"
                    + principal.logicalName() + "'.");
        }
        return entity(principal.logicalName());
    }

    private EntityMetadata entity(String logicalName) {
        return catalog.entity(logicalName).orElseThrow(() -> new DataverseFault(ErrorCode.INVALID_ARGUMENT,
                "The entity with a name = '" + logicalName + "' with namemapping = 'Logical' was not found in the MetadataCache."));
    }

    private static UUID uuid(Object v) {
        return v instanceof UUID u ? u : UUID.fromString(String.valueOf(v));
    }
}
