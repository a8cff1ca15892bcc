package dev.dve.query;

/** Compares two attributes of the same row ({@code firstname eq lastname}). */
public record ColumnComparison(String left, ConditionOperator operator, String right) implements Criterion {
}
