package dev.dve.auth.security;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.store.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a principal's security position from the security rows (users, teams, roles, role privileges, business
 * units) on every call, so a change of roles takes effect on the next request, on every node.
 */
public final class SecurityModel {
    private final SqlDialect d;

    public SecurityModel(SqlDialect dialect) {
        this.d = dialect;
    }

    public SecurityPrincipal principal(Connection c, UUID userId) throws SQLException {
        UUID bu = null;
        String accessMode = "0 Read-Write";
        UUID aad = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("businessunitid") + ", " + q("accessmode") + ", " + q("azureactivedirectoryobjectid")
                + " FROM " + q("systemuserbase") + " WHERE " + q("systemuserid") + " = ?")) {
            ps.setString(1, userId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "systemuser With Id = " + userId + " Does Not Exist");
                }
                bu = uuid(rs.getString(1));
                int mode = rs.getInt(2);
                accessMode = mode + " " + switch (mode) {
                    case 1 -> "Administrative";
                    case 2 -> "Read";
                    case 4 -> "Non-interactive";
                    default -> "Read-Write";
                };
                aad = uuid(rs.getString(3));
            }
        }
        Set<UUID> teams = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("teamid") + " FROM " + q("teammembershipbase") + " WHERE " + q("systemuserid") + " = ?")) {
            ps.setString(1, userId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    teams.add(uuid(rs.getString(1)));
                }
            }
        }
        Map<String, PrivilegeDepth> privileges = new HashMap<>();
        Set<UUID> roles = new HashSet<>();
        String sql = "SELECT p." + q("name") + ", rp." + q("privilegedepthmask") + ", rp." + q("roleid")
                + " FROM " + q("roleprivilegesbase") + " rp JOIN " + q("privilegebase") + " p ON p." + q("privilegeid") + " = rp." + q("privilegeid")
                + " WHERE rp." + q("roleid") + " IN (SELECT ur." + q("roleid") + " FROM " + q("systemuserrolesbase") + " ur WHERE ur." + q("systemuserid") + " = ?)"
                + " OR rp." + q("roleid") + " IN (SELECT tr." + q("roleid") + " FROM " + q("teamrolesbase") + " tr JOIN " + q("teammembershipbase")
                + " tm ON tm." + q("teamid") + " = tr." + q("teamid") + " WHERE tm." + q("systemuserid") + " = ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, userId.toString());
            ps.setString(2, userId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PrivilegeDepth depth = PrivilegeDepth.fromMask(rs.getInt(2));
                    privileges.merge(rs.getString(1), depth, (a, b) -> a.mask() >= b.mask() ? a : b);
                    roles.add(uuid(rs.getString(3)));
                }
            }
        }
        Map<UUID, UUID> parents = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("businessunitid") + ", " + q("parentbusinessunitid") + " FROM " + q("businessunitbase"));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                parents.put(uuid(rs.getString(1)), uuid(rs.getString(2)));
            }
        }
        return new SecurityPrincipal(userId, bu, teams, new PrivilegeSet(privileges), parents, roles.size(), accessMode, aad);
    }

    /** Whether the user holds a role of that name, directly or through a team. */
    public boolean hasRole(Connection c, UUID userId, String roleName) throws SQLException {
        String sql = "SELECT COUNT(*) FROM " + q("rolebase") + " r WHERE r." + q("name") + " = ? AND (r." + q("roleid")
                + " IN (SELECT ur." + q("roleid") + " FROM " + q("systemuserrolesbase") + " ur WHERE ur." + q("systemuserid") + " = ?) OR r." + q("roleid")
                + " IN (SELECT tr." + q("roleid") + " FROM " + q("teamrolesbase") + " tr JOIN " + q("teammembershipbase") + " tm ON tm." + q("teamid")
                + " = tr." + q("teamid") + " WHERE tm." + q("systemuserid") + " = ?))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, roleName);
            ps.setString(2, userId.toString());
            ps.setString(3, userId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private String q(String id) {
        return d.quote(id);
    }

    private static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s.trim());
    }
}
