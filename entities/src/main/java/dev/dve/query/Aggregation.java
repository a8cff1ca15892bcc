package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/** Grouping and aggregates ({@code $apply}, aggregate FetchXML): group-by attributes and the values computed per group. */
public record Aggregation(List<String> groupBy, List<Aggregate> aggregates) {
    public Aggregation {
        groupBy = new ArrayList<>(groupBy);
        aggregates = new ArrayList<>(aggregates);
    }

    public enum Function { COUNT, COUNT_COLUMN, COUNT_DISTINCT, SUM, AVG, MIN, MAX }

    /** One computed value: the function, its attribute (null for a row count) and the name it comes back under. */
    public record Aggregate(Function function, String attribute, String alias) {
    }
}
