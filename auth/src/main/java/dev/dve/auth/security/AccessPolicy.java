package dev.dve.auth.security;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.SubqueryCondition;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Decides whether a principal may do something to an entity or a row, by privilege and depth: Basic reaches the
 * rows the user or its teams own, Local the user's business unit, Deep that unit and the units below it, Global
 * the organization. Collection reads are narrowed by a criterion translated to SQL, never filtered afterwards.
 * <p>
 * With {@link #useShares shares}, a user-owned row shared with the user or one of its teams (GrantAccess) is reached
 * for the rights shared, whatever the depth — the privilege itself is still needed at some depth, as in Dataverse.
 */
public final class AccessPolicy {
    private final MetadataCatalog catalog;
    private volatile RecordShares shares;

    public AccessPolicy(MetadataCatalog catalog) {
        this.catalog = catalog;
    }

    /** Honours the records' shares from now on (the runtime sets the stored ones; without, shares are not looked at). */
    public void useShares(RecordShares shares) {
        this.shares = catalog.entity(RecordShares.ENTITY).isPresent() ? shares : null;
    }

    /** Whether rows of the entity can be shared: user- or team-owned rows, when the catalog has the share table. */
    public boolean shareable(EntityMetadata e) {
        return e.isUserOwned() && PrivilegeCatalog.hasOwnPrivileges(e) && catalog.entity(RecordShares.ENTITY).isPresent();
    }

    /** The entity whose privileges govern this one (itself, the parent of an intersect table), or null when open. */
    private EntityMetadata governing(EntityMetadata e) {
        if (e.security().privilegeEntity() != null) {
            return catalog.require(e.security().privilegeEntity());
        }
        return PrivilegeCatalog.hasOwnPrivileges(e) ? e : null;
    }

    /** The attributes {@link #position} needs. */
    public List<String> positionAttributes(EntityMetadata e) {
        List<String> cols = new ArrayList<>();
        if (e.hasAttribute("ownerid")) {
            cols.add("ownerid");
        }
        String bu = businessUnitAttribute(e);
        if (bu != null && !bu.equals(e.primaryIdAttribute())) {
            cols.add(bu);
        }
        return cols;
    }

    public RecordPosition position(EntityMetadata e, Entity row) {
        EntityReference owner = row.get("ownerid") instanceof EntityReference r ? r : null;
        String buAttr = businessUnitAttribute(e);
        UUID bu = null;
        if (buAttr != null) {
            Object v = buAttr.equals(e.primaryIdAttribute()) ? row.id() : row.get(buAttr);
            bu = v instanceof EntityReference r ? r.id() : v instanceof UUID u ? u : null;
        }
        return new RecordPosition(row.id(), owner == null ? null : owner.id(), owner == null ? null : owner.logicalName(), bu);
    }

    private static String businessUnitAttribute(EntityMetadata e) {
        if (e.hasAttribute("owningbusinessunit")) {
            return "owningbusinessunit";
        }
        if (e.logicalName().equals("businessunit")) {
            return e.primaryIdAttribute();
        }
        if (e.isBusinessOwned() && e.hasAttribute("businessunitid")) {
            return "businessunitid";
        }
        return null;
    }

    /** Refuses unless the principal holds the entity privilege at some depth. */
    public void requireEntity(SecurityPrincipal p, EntityMetadata e, AccessRight right) {
        EntityMetadata g = governing(e);
        if (g != null) {
            held(p, g, right);
        }
    }

    /** Refuses unless the principal holds the privilege deep enough to reach the row. */
    public void requireRecord(SecurityPrincipal p, EntityMetadata e, AccessRight right, RecordPosition row) {
        EntityMetadata g = governing(e);
        if (g == null) {
            return;
        }
        PrivilegeDepth depth = held(p, g, right);
        if (g != e || g.isOrganizationOwned() || reaches(p, e, depth, row) || sharedWith(p, e, right, row)) {
            return;
        }
        throw new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: "
                + row.recordId() + ", OwnerId: " + row.ownerId() + ",  OwnerIdType: " + ("team".equals(row.ownerType()) ? 9 : 8)
                + " and CallingUser: " + p.userId() + ". ObjectTypeCode: " + e.objectTypeCode() + ", objectBusinessUnitId: "
                + row.businessUnitId() + ", AccessRights: " + right.accessRightsName() + " ");
    }

    /**
     * The rights the principal has on the row ({@link AccessRight} flags): those whose privilege it holds deep enough
     * to reach the row, and those a share of the row gives it while it holds the privilege at some depth.
     */
    public int rights(SecurityPrincipal p, EntityMetadata e, RecordPosition row) {
        EntityMetadata g = governing(e);
        int mask = 0;
        int shared = -1;
        for (AccessRight r : AccessRight.values()) {
            if (g == null) {
                mask |= r.flag();
                continue;
            }
            PrivilegeDepth d = p.privileges().depth(r.privilegeName(g.security().privilegeName()));
            if (d == null) {
                continue;
            }
            if (g != e || g.isOrganizationOwned() || reaches(p, e, d, row)) {
                mask |= r.flag();
            } else if (r != AccessRight.CREATE && shares != null && shareable(e) && row.recordId() != null) {
                if (shared < 0) {
                    shared = shares.rights(p, e, row.recordId());
                }
                mask |= shared & r.flag();
            }
        }
        return mask;
    }

    /** Whether one of the row's shares gives the principal (or one of its teams) the right. */
    private boolean sharedWith(SecurityPrincipal p, EntityMetadata e, AccessRight right, RecordPosition row) {
        RecordShares s = shares;
        return s != null && right != AccessRight.CREATE && row.recordId() != null && shareable(e)
                && (s.rights(p, e, row.recordId()) & right.flag()) != 0;
    }

    /**
     * The rows shared with the principal or one of its teams for the right (directly or inherited): {@code id IN
     * (SELECT objectid FROM principalobjectaccess WHERE …)}, every value a parameter.
     */
    public Criterion sharedRows(SecurityPrincipal p, EntityMetadata e, AccessRight right) {
        List<Object> principals = new ArrayList<>();
        principals.add(p.userId());
        principals.addAll(p.teams());
        return new SubqueryCondition(e.primaryIdAttribute(), false, RecordShares.ENTITY, "objectid", FilterExpression.and(
                Condition.of("objecttypecode", ConditionOperator.EQUAL, e.logicalName()),
                new Condition("principalid", ConditionOperator.IN, principals),
                new FilterExpression(LogicalOperator.OR, List.of(
                        Condition.of("accessrightsmask", ConditionOperator.MASK, right.flag()),
                        Condition.of("inheritedaccessrightsmask", ConditionOperator.MASK, right.flag())))));
    }

    /** The depth criterion, or it or the rows shared for reading when the entity's rows can be shared. */
    private Criterion orShared(SecurityPrincipal p, EntityMetadata e, Criterion byDepth) {
        if (shares == null || !shareable(e)) {
            return byDepth;
        }
        return new FilterExpression(LogicalOperator.OR, List.of(byDepth, sharedRows(p, e, AccessRight.READ)));
    }

    /** Refuses unless the principal holds a special privilege (prvActivateSynchronousWorkflow …). */
    public void requireSpecial(SecurityPrincipal p, String privilege, EntityMetadata about) {
        if (!p.privileges().has(privilege)) {
            throw missing(p, privilege, about);
        }
    }

    private PrivilegeDepth held(SecurityPrincipal p, EntityMetadata g, AccessRight right) {
        String name = right.privilegeName(g.security().privilegeName());
        PrivilegeDepth d = p.privileges().depth(name);
        if (d == null) {
            throw missing(p, name, g);
        }
        return d;
    }

    private static boolean reaches(SecurityPrincipal p, EntityMetadata e, PrivilegeDepth depth, RecordPosition row) {
        if (depth == PrivilegeDepth.GLOBAL) {
            return true;
        }
        if (depth == PrivilegeDepth.BASIC && e.security().userKeyed()) {
            return p.userId().equals(row.recordId());
        }
        if (depth == PrivilegeDepth.BASIC && e.isUserOwned()) {
            return row.ownerId() != null && (row.ownerId().equals(p.userId()) || p.teams().contains(row.ownerId()));
        }
        if (row.businessUnitId() == null) {
            return false;
        }
        if (depth == PrivilegeDepth.DEEP) {
            return p.inOwnSubtree(row.businessUnitId());
        }
        return row.businessUnitId().equals(p.businessUnitId());
    }

    /**
     * The criterion that keeps a collection read within the principal's read depth; null when every row is
     * visible. Refuses when the principal cannot read the entity at all.
     */
    public Criterion readFilter(SecurityPrincipal p, EntityMetadata e) {
        EntityMetadata g = governing(e);
        if (g == null) {
            return null;
        }
        PrivilegeDepth depth = held(p, g, AccessRight.READ);
        if (g != e && e.security().parentLookup() != null) {
            return parentFilter(p, e);
        }
        if (g != e || e.isOrganizationOwned() || depth == PrivilegeDepth.GLOBAL) {
            return null;
        }
        if (depth == PrivilegeDepth.BASIC && e.security().userKeyed()) {
            return Condition.of(e.primaryIdAttribute(), ConditionOperator.EQUAL, p.userId());
        }
        if (depth == PrivilegeDepth.BASIC && e.isUserOwned()) {
            List<Object> owners = new ArrayList<>();
            owners.add(p.userId());
            owners.addAll(p.teams());
            return orShared(p, e, new Condition("ownerid", ConditionOperator.IN, owners));
        }
        String bu = businessUnitAttribute(e);
        if (bu == null) {
            return new Condition(e.primaryIdAttribute(), ConditionOperator.NULL, List.of());
        }
        if (depth == PrivilegeDepth.DEEP) {
            return orShared(p, e, new Condition(bu, ConditionOperator.IN, new ArrayList<>(p.subtree())));
        }
        return orShared(p, e, Condition.of(bu, ConditionOperator.EQUAL, p.businessUnitId()));
    }

    /**
     * The rows of a parent-governed table (a process log) whose parent row the principal can read: one subquery per
     * table the parent lookup reaches and the principal may read; null when every parent is readable.
     */
    private Criterion parentFilter(SecurityPrincipal p, EntityMetadata e) {
        String lookup = e.security().parentLookup();
        dev.dve.query.FilterExpression any = new dev.dve.query.FilterExpression(dev.dve.query.LogicalOperator.OR, List.of());
        for (dev.dve.metadata.LookupTarget t : e.attribute(lookup).orElseThrow().targets()) {
            EntityMetadata parent = catalog.require(t.entity());
            EntityMetadata pg = governing(parent);
            if (pg != null && p.privileges().depth(AccessRight.READ.privilegeName(pg.security().privilegeName())) == null) {
                continue;
            }
            Criterion parentRows = readFilter(p, parent);
            if (parentRows == null) {
                if (e.attribute(lookup).orElseThrow().targets().size() == 1) {
                    return null;
                }
                parentRows = dev.dve.query.FilterExpression.and();
            }
            any.add(new dev.dve.query.SubqueryCondition(lookup, false, parent.logicalName(), parent.primaryIdAttribute(), parentRows));
        }
        if (any.children().isEmpty()) {
            return new Condition(e.primaryIdAttribute(), ConditionOperator.NULL, List.of());
        }
        return any;
    }

    private static DataverseFault missing(SecurityPrincipal p, String privilege, EntityMetadata e) {
        return new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "Principal user (Id=" + p.userId() + ", type=8, roleCount=" + p.roleCount()
                + ", privilegeCount=" + p.privileges().size() + ", accessMode='" + p.accessMode() + "', AADObjectId='"
                + (p.aadObjectId() == null ? "" : p.aadObjectId()) + "', businessUnitId=" + p.businessUnitId() + "), is missing "
                + privilege + " privilege (Id=" + PrivilegeCatalog.id(privilege) + ") on OTC=" + e.objectTypeCode() + " for entity '"
                + e.logicalName() + "' (LocalizedName='" + e.displayName() + "'). context.Caller=" + p.userId()
                + ". Consider adding missed privilege to one of the principal (user/team) roles.");
    }
}
