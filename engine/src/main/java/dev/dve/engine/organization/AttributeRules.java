package dev.dve.engine.organization;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.OptionMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The checks Dataverse makes on every attribute value written, whoever writes it. */
final class AttributeRules {
    private AttributeRules() {
    }

    /** Checks type, length, range and option values; rounds money and decimals to their precision. */
    static Object check(dev.dve.metadata.MetadataCatalog catalog, EntityMetadata e, AttributeMetadata a, Object value) {
        if (value == null) {
            return null;
        }
        Class<?> expected = switch (a.type()) {
            case UNIQUEIDENTIFIER -> UUID.class;
            case STRING, MEMO, ENTITYNAME, MULTISELECTPICKLIST -> String.class;
            case INTEGER, PICKLIST, STATE, STATUS -> Integer.class;
            case BIGINT -> Long.class;
            case DECIMAL, MONEY -> BigDecimal.class;
            case DOUBLE -> Double.class;
            case BOOLEAN -> Boolean.class;
            case DATETIME -> Instant.class;
            case LOOKUP, OWNER, CUSTOMER -> EntityReference.class;
        };
        if (!expected.isInstance(value)) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Incorrect type of attribute value " + value.getClass().getSimpleName()
                    + " for attribute '" + a.logicalName() + "' of entity '" + e.logicalName() + "'.");
        }
        if (value instanceof String s && a.maxLength() != null && s.length() > a.maxLength()) {
            throw DataverseFault.validation("A validation error occurred.  The length of the '" + a.logicalName() + "' attribute of the '"
                    + e.logicalName() + "' entity exceeded the maximum allowed length of '" + a.maxLength() + "'.");
        }
        if (a.optionSet() != null && value instanceof Integer i && !a.optionSet().contains(i)) {
            throw outOfRange(e, a, value, " Accepted Values: " + a.optionSet().acceptedValues());
        }
        if (a.type() == dev.dve.metadata.AttributeType.ENTITYNAME && value instanceof String s && !s.equals("none") && catalog.entity(s).isEmpty()) {
            // an entity name attribute (workflow primaryentity, asyncoperation primaryentitytype …) names a table that exists
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The entity with a name = '" + s + "' with namemapping = 'Logical' was not found in the MetadataCache.");
        }
        if (a.type() == dev.dve.metadata.AttributeType.MULTISELECTPICKLIST && value instanceof String s) {
            return multiSelect(e, a, s);
        }
        if (value instanceof Number n && (a.minValue() != null || a.maxValue() != null)) {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            if (a.minValue() != null && d.compareTo(new BigDecimal(a.minValue().toString())) < 0
                    || a.maxValue() != null && d.compareTo(new BigDecimal(a.maxValue().toString())) > 0) {
                throw outOfRange(e, a, value, "");
            }
        }
        if (value instanceof BigDecimal b && a.precision() != null && b.scale() > a.precision()) {
            return b.setScale(a.precision(), RoundingMode.HALF_UP);
        }
        if (value instanceof EntityReference r && !a.targets().isEmpty() && a.target(r.logicalName()).isEmpty()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Entity type '" + r.logicalName() + "' is not a valid target of lookup '"
                    + a.logicalName() + "' of entity '" + e.logicalName() + "'.");
        }
        return value;
    }

    /** A multi-select value in canonical form: distinct option values, ascending, comma-separated ("" clears it). */
    private static Object multiSelect(EntityMetadata e, AttributeMetadata a, String s) {
        java.util.TreeSet<Integer> values = new java.util.TreeSet<>();
        for (String part : s.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int v;
            try {
                v = Integer.parseInt(part.trim());
            } catch (NumberFormatException ex) {
                throw outOfRange(e, a, part.trim(), " Accepted Values: " + a.optionSet().acceptedValues());
            }
            if (!a.optionSet().contains(v)) {
                throw outOfRange(e, a, v, " Accepted Values: " + a.optionSet().acceptedValues());
            }
            values.add(v);
        }
        return values.isEmpty() ? null : values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    private static DataverseFault outOfRange(EntityMetadata e, AttributeMetadata a, Object value, String suffix) {
        return DataverseFault.validation("A validation error occurred.  The value " + value + " of '" + a.logicalName()
                + "' on record of type '" + e.logicalName() + "' is outside the valid range." + suffix);
    }

    /**
     * Makes statecode and statuscode agree: a state alone gets its default status, a status alone its state;
     * a pair that does not belong together is refused.
     */
    static void resolveState(EntityMetadata e, Entity row, Integer currentState) {
        AttributeMetadata state = e.attribute("statecode").orElse(null);
        AttributeMetadata status = e.attribute("statuscode").orElse(null);
        if (state == null || status == null) {
            return;
        }
        Integer st = (Integer) row.get("statecode");
        Integer sc = (Integer) row.get("statuscode");
        if (st != null && sc == null && row.contains("statecode")) {
            Integer def = state.optionSet().option(st).map(OptionMetadata::defaultStatus).orElse(null);
            row.set("statuscode", def);
        } else if (sc != null && !row.contains("statecode")) {
            OptionMetadata o = status.optionSet().option(sc).orElseThrow();
            if (currentState == null || !currentState.equals(o.state())) {
                row.set("statecode", o.state());
            }
        } else if (st != null) {
            OptionMetadata o = status.optionSet().option(sc).orElseThrow();
            if (!st.equals(o.state())) {
                throw new DataverseFault(ErrorCode.INVALID_STATE_STATUS, statePairMessage(e, st, sc));
            }
        }
    }

    static String statePairMessage(EntityMetadata e, int state, int status) {
        return status + " is not a valid status code for state code " + e.schemaName() + "State." + stateLabel(e, state) + " on "
                + e.logicalName() + ".";
    }

    private static String stateLabel(EntityMetadata e, int state) {
        return e.attribute("statecode").flatMap(a -> a.optionSet().option(state)).map(OptionMetadata::label).orElse(String.valueOf(state));
    }

    /** The value of a platform-computed attribute: its parts joined by a space, nulls left out. */
    static String compute(AttributeMetadata a, Map<String, Object> values) {
        StringBuilder s = new StringBuilder();
        for (String part : a.formula()) {
            Object v = values.get(part);
            if (v != null && !v.toString().isBlank()) {
                if (!s.isEmpty()) {
                    s.append(' ');
                }
                s.append(v);
            }
        }
        return s.isEmpty() ? null : s.toString();
    }
}
