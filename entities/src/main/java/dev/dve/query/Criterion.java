package dev.dve.query;

/** A node of a query's filter tree. */
public sealed interface Criterion permits FilterExpression, Condition, Not, ColumnComparison, SubqueryCondition, HierarchyCondition {
}
