package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/** Grouping and aggregates ({@code $apply}, aggregate FetchXML): group-by attributes and the values computed per group. */
public record Aggregation(List<String> groupBy, List<Aggregate> aggregates, java.util.Map<String, DateGroup> dateGrouping, int recordLimit) {
    /** Dataverse refuses to aggregate over more matching rows than this (FetchXML's aggregatelimit can only lower it). */
    public static final int RECORD_LIMIT = 50_000;

    public Aggregation {
        groupBy = new ArrayList<>(groupBy);
        aggregates = new ArrayList<>(aggregates);
        dateGrouping = dateGrouping == null ? java.util.Map.of() : java.util.Map.copyOf(dateGrouping);
    }

    public Aggregation(List<String> groupBy, List<Aggregate> aggregates, java.util.Map<String, DateGroup> dateGrouping) {
        this(groupBy, aggregates, dateGrouping, RECORD_LIMIT);
    }

    public Aggregation(List<String> groupBy, List<Aggregate> aggregates) {
        this(groupBy, aggregates, null);
    }

    /**
     * The part of a date-time a group is formed by (FetchXML dategrouping); calendar groups come back as numbers, fiscal
     * ones as labels ({@code FY2025}, {@code Quarter 1 FY2025}).
     */
    public enum DatePart { YEAR, QUARTER, MONTH, WEEK, DAY, FISCAL_YEAR, FISCAL_PERIOD }

    /** A group formed by a part of a date-time attribute; the group-by entry naming it is its alias. Fiscal parts carry the fiscal year's start. */
    public record DateGroup(String attribute, DatePart part, java.time.MonthDay fiscalStart) {
        public DateGroup(String attribute, DatePart part) {
            this(attribute, part, null);
        }
    }

    public enum Function { COUNT, COUNT_COLUMN, COUNT_DISTINCT, SUM, AVG, MIN, MAX }

    /** One computed value: the function, its attribute (null for a row count) and the name it comes back under. */
    public record Aggregate(Function function, String attribute, String alias) {
    }
}
