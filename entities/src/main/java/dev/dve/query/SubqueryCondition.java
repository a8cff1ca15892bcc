package dev.dve.query;

/**
 * {@code attribute [NOT] IN (SELECT key FROM entity WHERE criteria)}: a condition on related rows, used for lookup
 * paths ({@code primarycontactid/fullname eq 'x'}) and the lambda operators {@code any} / {@code all}.
 */
public record SubqueryCondition(String attribute, boolean negated, String entity, String key, Criterion criteria) implements Criterion {
}
