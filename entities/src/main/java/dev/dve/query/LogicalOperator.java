package dev.dve.query;

/** How the children of a filter combine. */
public enum LogicalOperator {
    AND, OR
}
