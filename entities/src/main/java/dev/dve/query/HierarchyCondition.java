package dev.dve.query;

import java.util.UUID;

/**
 * {@code attribute [NOT] IN (the rows below or above a row of a hierarchical entity)}: the rows reached from
 * {@code root} through the entity's hierarchy lookup (its lookup to itself), at most {@code maxDepth} levels down or
 * up, with {@code root} itself when {@code includeRoot}. The walk passes only rows that meet {@code walkFilter}
 * (the caller's read filter), so a row the caller may not read stops it. Translated to one recursive subquery.
 *
 * @param attribute the column of the queried entity that is compared (its primary key for Under/Above, an owner
 *                  lookup for EqualUserOrUserHierarchy)
 * @param entity    the hierarchical entity walked
 */
public record HierarchyCondition(String attribute, String entity, UUID root, Direction direction, boolean includeRoot, boolean negated,
                                 int maxDepth, Criterion walkFilter) implements Criterion {
    /** Dataverse walks a hierarchy at most this many levels (MaxHierarchyDepth). */
    public static final int MAX_DEPTH = 100;

    public enum Direction { BELOW, ABOVE }

    public HierarchyCondition(String attribute, String entity, UUID root, Direction direction, boolean includeRoot, boolean negated) {
        this(attribute, entity, root, direction, includeRoot, negated, MAX_DEPTH, FilterExpression.and());
    }

    /** The same walk passing only rows that also meet {@code filter}. */
    public HierarchyCondition walkingOnly(Criterion filter) {
        return new HierarchyCondition(attribute, entity, root, direction, includeRoot, negated, maxDepth, FilterExpression.and(walkFilter, filter));
    }
}
