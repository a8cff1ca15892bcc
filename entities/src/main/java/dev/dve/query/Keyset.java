package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Keyset paging: the criterion "after this row" in a given sort order, so each page is one query that stays
 * correct while rows are inserted. NULL sorts lowest (first ascending, last descending) on both databases.
 */
public final class Keyset {
    private Keyset() {
    }

    /**
     * Rows that come after the row whose sort-key values are {@code last}, for sort keys {@code orders} (which must
     * end with a unique key, such as the primary id).
     */
    public static Criterion after(List<Order> orders, List<Object> last) {
        if (orders.size() != last.size()) {
            throw new IllegalArgumentException("one value per sort key");
        }
        List<Criterion> alternatives = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            List<Criterion> all = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                all.add(Condition.of(orders.get(j).attribute(), ConditionOperator.EQUAL, last.get(j)));
            }
            Criterion step = beyond(orders.get(i), last.get(i));
            if (step == null) {
                continue;
            }
            all.add(step);
            alternatives.add(new FilterExpression(LogicalOperator.AND, all));
        }
        if (alternatives.isEmpty()) {
            // nothing can follow: a criterion no row meets
            return new Not(new FilterExpression(LogicalOperator.AND, List.of()));
        }
        return new FilterExpression(LogicalOperator.OR, alternatives);
    }

    /** Rows strictly beyond {@code value} in one key's direction; null when nothing can be. */
    private static Criterion beyond(Order o, Object value) {
        if (!o.descending()) {
            return value == null ? Condition.of(o.attribute(), ConditionOperator.NOT_NULL)
                    : Condition.of(o.attribute(), ConditionOperator.GREATER_THAN, value);
        }
        if (value == null) {
            return null;
        }
        return new FilterExpression(LogicalOperator.OR, List.of(
                Condition.of(o.attribute(), ConditionOperator.LESS_THAN, value),
                Condition.of(o.attribute(), ConditionOperator.NULL)));
    }
}
