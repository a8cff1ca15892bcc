package dev.dve.store.platform;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * {@code dve_signin_failure}: failed sign-ins in a row per principal and the end of its lockout (epoch milliseconds
 * of the emulator clock), one row per principal, shared by every node on the database.
 */
public final class SignInFailureTable extends PlatformTable {

    public SignInFailureTable(Database database, SchemaBuilder schema) {
        super(database, schema, "dve_signin_failure", columns(database), "principalid");
    }

    private static Map<String, String> columns(Database database) {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("principalid", database.dialect().guidType() + " NOT NULL");
        cols.put("failures", "INT NOT NULL");
        cols.put("locked_until_ms", "BIGINT");
        return cols;
    }

    /** When the principal's lockout ends, if one was set. */
    public Optional<Long> lockedUntil(UUID principalId) {
        return Optional.ofNullable(database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + q("locked_until_ms") + " FROM " + q(table) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        }));
    }

    /**
     * Counts one more failure under a row lock, so failures on several nodes at once are all counted; the lockout end
     * becomes {@code lockFor.apply(count)} (null: not locked). Answers the new count.
     */
    public int countFailure(UUID principalId, IntFunction<Long> lockFor) {
        for (int attempt = 0; ; attempt++) {
            try {
                return database.inTransaction(c -> {
                    int failures;
                    boolean counted;
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + q("failures") + " FROM " + q(table) + " WHERE " + q("principalid") + " = ? FOR UPDATE")) {
                        ps.setString(1, principalId.toString());
                        try (ResultSet rs = ps.executeQuery()) {
                            counted = rs.next();
                            failures = counted ? rs.getInt(1) : 0;
                        }
                    }
                    int count = failures + 1;
                    Long lockedUntil = lockFor.apply(count);
                    String sql = !counted
                            ? "INSERT INTO " + q(table) + " (" + q("failures") + ", " + q("locked_until_ms") + ", " + q("principalid") + ") VALUES (?, ?, ?)"
                            : "UPDATE " + q(table) + " SET " + q("failures") + " = ?, " + q("locked_until_ms") + " = ? WHERE " + q("principalid") + " = ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setInt(1, count);
                        if (lockedUntil == null) {
                            ps.setNull(2, Types.BIGINT);
                        } else {
                            ps.setLong(2, lockedUntil);
                        }
                        ps.setString(3, principalId.toString());
                        ps.executeUpdate();
                    }
                    return count;
                });
            } catch (DataverseFault f) {
                // another node inserted the first failure at the same moment: count this one on its row
                if (f.code() != ErrorCode.DUPLICATE_RECORD || attempt > 0) {
                    throw f;
                }
            }
        }
    }

    /** Forgets the principal's failures (a success, or a new secret). */
    public void clear(UUID principalId) {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(table) + " WHERE " + q("principalid") + " = ?")) {
                ps.setString(1, principalId.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void clearAll() {
        deleteAll();
    }

}
