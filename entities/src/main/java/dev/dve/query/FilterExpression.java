package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/** Children joined by {@code and} or {@code or}; an empty filter matches every row. */
public record FilterExpression(LogicalOperator operator, List<Criterion> children) implements Criterion {
    public FilterExpression {
        children = new ArrayList<>(children);
    }

    public static FilterExpression and(Criterion... children) {
        return new FilterExpression(LogicalOperator.AND, List.of(children));
    }

    public FilterExpression add(Criterion c) {
        children.add(c);
        return this;
    }
}
