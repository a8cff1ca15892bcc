package dev.dve.query;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.payload.PayloadReader;

import java.math.BigDecimal;
import java.util.Locale;

/** A condition's value as text (FetchXML, a QueryExpression's JSON) turned into the column's type, as Dataverse reads it. */
public final class ConditionValues {
    private ConditionValues() {
    }

    /** The typed value; pattern operators keep text. A value that is not of the column's type is a query error. */
    public static Object typed(AttributeMetadata a, String v, ConditionOperator op) {
        if (op == ConditionOperator.LIKE || op == ConditionOperator.NOT_LIKE || op == ConditionOperator.BEGINS_WITH
                || op == ConditionOperator.NOT_BEGIN_WITH || op == ConditionOperator.ENDS_WITH || op == ConditionOperator.NOT_END_WITH) {
            if (!a.type().isText()) {
                throw DataverseFault.query("The pattern operators (like, begins-with, ends-with and their negations) apply to text columns; '"
                        + a.logicalName() + "' is of type '" + a.type().edmType() + "'.");
            }
            return v;
        }
        try {
            return switch (a.type()) {
                case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER -> PayloadReader.parseGuid(v.trim());
                case INTEGER, PICKLIST, STATE, STATUS -> Integer.valueOf(v.trim());
                case BIGINT -> Long.valueOf(v.trim());
                case DECIMAL, MONEY -> new BigDecimal(v.trim());
                case DOUBLE -> Double.valueOf(v.trim());
                case BOOLEAN -> switch (v.trim().toLowerCase(Locale.ROOT)) {
                    case "1", "true" -> Boolean.TRUE;
                    case "0", "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException();
                };
                case DATETIME -> PayloadReader.parseDateTime(v.trim());
                default -> v;
            };
        } catch (RuntimeException e) {
            throw DataverseFault.query("Condition for attribute '" + a.logicalName() + "': expected argument(s) of type '" + a.type().edmType()
                    + "' but received '" + v + "'.");
        }
    }
}
