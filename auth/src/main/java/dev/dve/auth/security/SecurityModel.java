package dev.dve.auth.security;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.LinkEntity;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.RecordStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a principal's security position from the security rows (users, teams, roles, role privileges, business
 * units) on every call, so a change of roles takes effect on the next request, on every node. The rows are catalog
 * entities, read through the record store like any other (as the platform: no security applies to these reads).
 */
public final class SecurityModel {
    /** The tables a principal is computed from: a write to any of them changes the security stamp. */
    public static final Set<String> TABLES = Set.of("systemuser", "team", "teammembership", "systemuserroles", "teamroles",
            "role", "roleprivileges", "privilege", "businessunit");
    /** Most users whose principal one node keeps. */
    private static final int CAPACITY = 10_000;
    private final RecordStore store;
    private final dev.dve.store.platform.SecurityStampTable stamps;
    /**
     * Principals computed on this node, each with the security stamp read in the same transaction as its rows. An
     * entry serves while the stamp is unchanged: every node's writes to {@link #TABLES} change the shared stamp in their
     * own transaction, so an entry never outlives the rows it was computed from, on any node.
     */
    private final java.util.concurrent.ConcurrentHashMap<UUID, Computed> computed = new java.util.concurrent.ConcurrentHashMap<>();

    private record Computed(String stamp, SecurityPrincipal principal) {
    }

    /** Without a stamp: every principal is computed from the rows on every call. */
    public SecurityModel(RecordStore store) {
        this(store, null);
    }

    public SecurityModel(RecordStore store, dev.dve.store.platform.SecurityStampTable stamps) {
        this.store = store;
        this.stamps = stamps;
    }

    /** Whether writes to this table change what principals are computed from. */
    public boolean governs(String table) {
        return TABLES.contains(table);
    }

    /** A write in this transaction changed a table of {@link #TABLES}: every node computes its principals again. */
    public void changed(Connection c) throws SQLException {
        if (stamps != null) {
            stamps.change(c);
        }
    }

    public SecurityPrincipal principal(Connection c, UUID userId) throws SQLException {
        if (stamps == null) {
            return compute(c, userId);
        }
        String stamp = stamps.read(c);
        Computed known = computed.get(userId);
        if (known != null && stamp != null && stamp.equals(known.stamp())) {
            return known.principal();
        }
        SecurityPrincipal p = compute(c, userId);
        if (stamp != null) {
            if (computed.size() >= CAPACITY) {
                computed.clear();
            }
            computed.put(userId, new Computed(stamp, p));
        }
        return p;
    }

    private SecurityPrincipal compute(Connection c, UUID userId) throws SQLException {
        Entity user = store.retrieve(c, "systemuser", userId, List.of("businessunitid", "accessmode", "azureactivedirectoryobjectid"), false)
                .orElseThrow(() -> new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "systemuser With Id = " + userId + " Does Not Exist"));
        int mode = user.get("accessmode") instanceof Number n ? n.intValue() : 0;
        String accessMode = mode + " " + switch (mode) {
            case 1 -> "Administrative";
            case 2 -> "Read";
            case 4 -> "Non-interactive";
            default -> "Read-Write";
        };
        Set<UUID> teams = teams(c, userId);
        Set<UUID> roles = roles(c, userId, teams);
        Set<UUID> grantingRoles = new HashSet<>();
        PrivilegeSet privileges = privileges(c, roles, grantingRoles);
        return new SecurityPrincipal(userId, id(user.get("businessunitid")), teams, privileges, businessUnitParents(c),
                grantingRoles.size(), accessMode, id(user.get("azureactivedirectoryobjectid")));
    }

    /**
     * A team as the access checks see it (RetrievePrincipalAccess for a team): its business unit, itself as the only
     * team whose rows and shares it reaches, and the privileges of its roles.
     */
    public SecurityPrincipal teamPrincipal(Connection c, UUID teamId) throws SQLException {
        Entity team = store.retrieve(c, "team", teamId, List.of("businessunitid"), false)
                .orElseThrow(() -> new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "team With Id = " + teamId + " Does Not Exist"));
        Set<UUID> roles = ids(c, new QueryExpression("teamroles").columns(List.of("roleid"))
                .where(Condition.of("teamid", ConditionOperator.EQUAL, teamId)), "roleid");
        Set<UUID> grantingRoles = new HashSet<>();
        PrivilegeSet privileges = privileges(c, roles, grantingRoles);
        return new SecurityPrincipal(teamId, id(team.get("businessunitid")), Set.of(teamId), privileges, businessUnitParents(c),
                grantingRoles.size(), "0 Read-Write", null);
    }

    /** The deepest grant of each privilege the roles hold; the roles that grant any are added to {@code grantingRoles}. */
    private PrivilegeSet privileges(Connection c, Set<UUID> roles, Set<UUID> grantingRoles) throws SQLException {
        Map<String, PrivilegeDepth> privileges = new HashMap<>();
        if (!roles.isEmpty()) {
            QueryExpression q = new QueryExpression("roleprivileges").columns(List.of("roleid", "privilegedepthmask"))
                    .where(new Condition("roleid", ConditionOperator.IN, new ArrayList<>(roles)))
                    .link(new LinkEntity("privilege", "privilegeid", "privilegeid", "p", false, List.of("name"), null, null));
            for (Entity grant : store.retrieveMultiple(c, q)) {
                PrivilegeDepth depth = PrivilegeDepth.fromMask(((Number) grant.get("privilegedepthmask")).intValue());
                privileges.merge((String) grant.get("p.name"), depth, (a, b) -> a.mask() >= b.mask() ? a : b);
                grantingRoles.add(id(grant.get("roleid")));
            }
        }
        return new PrivilegeSet(privileges);
    }

    private Map<UUID, UUID> businessUnitParents(Connection c) throws SQLException {
        Map<UUID, UUID> parents = new HashMap<>();
        for (Entity unit : store.retrieveMultiple(c, new QueryExpression("businessunit").columns(List.of("businessunitid", "parentbusinessunitid")))) {
            parents.put(unit.id(), id(unit.get("parentbusinessunitid")));
        }
        return parents;
    }

    /** Whether the user holds a role of that name, directly or through a team. */
    public boolean hasRole(Connection c, UUID userId, String roleName) throws SQLException {
        Set<UUID> roles = roles(c, userId, teams(c, userId));
        if (roles.isEmpty()) {
            return false;
        }
        QueryExpression q = new QueryExpression("role").columns(List.of("roleid"))
                .where(Condition.of("name", ConditionOperator.EQUAL, roleName))
                .where(new Condition("roleid", ConditionOperator.IN, new ArrayList<>(roles)));
        return store.count(c, q) > 0;
    }

    private Set<UUID> teams(Connection c, UUID userId) throws SQLException {
        return ids(c, new QueryExpression("teammembership").columns(List.of("teamid"))
                .where(Condition.of("systemuserid", ConditionOperator.EQUAL, userId)), "teamid");
    }

    /** The roles held directly and through the user's teams. */
    private Set<UUID> roles(Connection c, UUID userId, Set<UUID> teams) throws SQLException {
        Set<UUID> roles = ids(c, new QueryExpression("systemuserroles").columns(List.of("roleid"))
                .where(Condition.of("systemuserid", ConditionOperator.EQUAL, userId)), "roleid");
        if (!teams.isEmpty()) {
            roles.addAll(ids(c, new QueryExpression("teamroles").columns(List.of("roleid"))
                    .where(new Condition("teamid", ConditionOperator.IN, new ArrayList<>(teams))), "roleid"));
        }
        return roles;
    }

    private Set<UUID> ids(Connection c, QueryExpression q, String column) throws SQLException {
        Set<UUID> out = new HashSet<>();
        for (Entity row : store.retrieveMultiple(c, q)) {
            UUID id = id(row.get(column));
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private static UUID id(Object v) {
        if (v instanceof EntityReference r) {
            return r.id();
        }
        if (v instanceof UUID u) {
            return u;
        }
        return v == null ? null : UUID.fromString(v.toString().trim());
    }
}
