package dev.dve.query;

import java.util.List;

/**
 * A condition on one attribute (by logical name; for a lookup, its id). Values are already of the attribute's
 * Java type. A LIKE value is the SQL pattern itself.
 */
public record Condition(String attribute, ConditionOperator operator, List<Object> values) implements Criterion {
    public Condition {
        values = values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }

    public static Condition of(String attribute, ConditionOperator operator, Object... values) {
        return new Condition(attribute, operator, java.util.Arrays.asList(values));
    }
}
