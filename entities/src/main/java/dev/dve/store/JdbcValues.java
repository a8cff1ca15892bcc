package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Conversions between attribute values and what JDBC binds and returns, the same for every database. */
public final class JdbcValues {
    private JdbcValues() {
    }

    /** The value to bind for an attribute value (lookups bind their id). */
    public static Object toJdbc(Object value) {
        if (value instanceof UUID u) {
            return u.toString();
        }
        if (value instanceof EntityReference r) {
            return r.id() == null ? null : r.id().toString();
        }
        if (value instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        return value;
    }

    /** Reads an attribute's value from the column of the same name. */
    public static Object read(ResultSet rs, AttributeMetadata a, String column, String defaultTarget,
                              boolean withName) throws SQLException {
        return read(rs, a, column, Columns.lookupType(a), defaultTarget, withName ? Columns.lookupName(a) : null);
    }

    /** Reads a value whose columns carry the given labels (joined columns are labelled {@code alias.column}). */
    public static Object read(ResultSet rs, AttributeMetadata a, String column, String typeColumn, String defaultTarget,
                              String nameColumn) throws SQLException {
        switch (a.type()) {
            case UNIQUEIDENTIFIER: {
                String s = rs.getString(column);
                return s == null ? null : UUID.fromString(s.trim());
            }
            case LOOKUP:
            case OWNER:
            case CUSTOMER: {
                String s = rs.getString(column);
                if (s == null) {
                    return null;
                }
                String target = a.isPolymorphic() ? rs.getString(typeColumn) : defaultTarget;
                String name = nameColumn != null ? rs.getString(nameColumn) : null;
                return new EntityReference(target, UUID.fromString(s.trim()), name);
            }
            case INTEGER:
            case PICKLIST:
            case STATE:
            case STATUS: {
                int v = rs.getInt(column);
                return rs.wasNull() ? null : v;
            }
            case BIGINT: {
                long v = rs.getLong(column);
                return rs.wasNull() ? null : v;
            }
            case DOUBLE: {
                double v = rs.getDouble(column);
                return rs.wasNull() ? null : v;
            }
            case DECIMAL:
            case MONEY: {
                BigDecimal v = rs.getBigDecimal(column);
                return v == null ? null : v.setScale(a.precision(), RoundingMode.HALF_UP);
            }
            case BOOLEAN: {
                boolean v = rs.getBoolean(column);
                return rs.wasNull() ? null : v;
            }
            case DATETIME: {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                return t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            default:
                return rs.getString(column);
        }
    }
}
