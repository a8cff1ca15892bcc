package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.XrmTimeSpan;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Conversions and comparisons between the values workflow steps pass around and attribute values. */
final class CrmValues {
    static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private CrmValues() {
    }

    /** A value converted to what the attribute stores. */
    static Object forAttribute(AttributeMetadata a, Object v) {
        if (v == null) {
            return null;
        }
        return switch (a.type()) {
            case STRING, MEMO, ENTITYNAME, MULTISELECTPICKLIST -> v instanceof EntityReference r ? r.name() : v.toString();
            case INTEGER, PICKLIST, STATE, STATUS -> v instanceof Number n ? Integer.valueOf(n.intValue()) : Integer.valueOf(v.toString().trim());
            case BIGINT -> v instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(v.toString().trim());
            case DECIMAL, MONEY -> v instanceof BigDecimal b ? b : new BigDecimal(v.toString().trim());
            case DOUBLE -> v instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(v.toString().trim());
            case BOOLEAN -> v instanceof Boolean b ? b : bool(v);
            case DATETIME -> v instanceof Instant i ? i : dev.dve.payload.PayloadReader.parseDateTime(v.toString().trim());
            case UNIQUEIDENTIFIER -> v instanceof UUID u ? u : v instanceof EntityReference r ? r.id() : UUID.fromString(v.toString().trim());
            case LOOKUP, OWNER, CUSTOMER -> v instanceof EntityReference r ? new EntityReference(r.logicalName(), r.id())
                    : v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v;
        };
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        String s = String.valueOf(v).trim();
        return s.equalsIgnoreCase("true") || s.equals("1");
    }

    static boolean truthy(Object v) {
        return v != null && bool(v);
    }

    /** Compares the way conditions do: numbers numerically, text case-insensitively, references by id. */
    static int compare(Object a, Object b) {
        Object x = normalize(a);
        Object y = normalize(b);
        if (x instanceof BigDecimal p && y instanceof BigDecimal q) {
            return p.compareTo(q);
        }
        if (x instanceof Instant p && y instanceof Instant q) {
            return p.compareTo(q);
        }
        if (x instanceof Instant p && y instanceof String s) {
            return p.compareTo(dev.dve.payload.PayloadReader.parseDateTime(s));
        }
        if (x instanceof Boolean p && y instanceof Boolean q) {
            return Boolean.compare(p, q);
        }
        if (x instanceof BigDecimal p && y instanceof String s) {
            return p.compareTo(new BigDecimal(s.trim()));
        }
        return String.valueOf(x).toLowerCase(Locale.ROOT).compareTo(String.valueOf(y).toLowerCase(Locale.ROOT));
    }

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        try {
            return compare(a, b) == 0;
        } catch (NumberFormatException | java.time.format.DateTimeParseException notComparable) {
            // a number or a date against text that is none: the values differ (any other failure is a fault)
            return false;
        }
    }

    private static Object normalize(Object v) {
        if (v instanceof EntityReference r) {
            return r.id() == null ? null : r.id().toString();
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        if (v instanceof Number n && !(v instanceof BigDecimal)) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof Boolean || v instanceof BigDecimal || v instanceof Instant) {
            return v;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
            return s;
        }
        return v;
    }

    static Object add(Object a, Object b, String targetType) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a instanceof Instant t && b instanceof XrmTimeSpan s) {
            return s.addTo(t);
        }
        if (a instanceof XrmTimeSpan s && b instanceof Instant t) {
            return s.addTo(t);
        }
        if ("x:String".equals(targetType) || a instanceof String || b instanceof String) {
            return text(a) + text(b);
        }
        return ((BigDecimal) normalize(a)).add((BigDecimal) normalize(b));
    }

    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof EntityReference r) {
            return r.name() == null ? "" : r.name();
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    static BigDecimal number(Object v) {
        Object n = normalize(v);
        if (n instanceof BigDecimal d) {
            return d;
        }
        return new BigDecimal(String.valueOf(n).trim());
    }
}
