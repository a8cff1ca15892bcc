package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The query model every way of asking for rows ends in (OData options, FetchXML, saved views): one entity, the
 * columns wanted, a filter tree, sort keys and a row limit. It is translated to SQL, never evaluated in memory.
 */
public final class QueryExpression {
    private final String entityName;
    private List<String> columns;
    private FilterExpression criteria = new FilterExpression(LogicalOperator.AND, List.of());
    private final List<Order> orders = new ArrayList<>();
    private Integer top;
    private Integer skip;
    private boolean distinct;
    private boolean lookupNames;
    private final List<LinkEntity> links = new ArrayList<>();
    private Aggregation aggregation;
    private PerGroupLimit perGroupLimit;

    /** At most {@code limit} rows for each value of {@code attribute}: the first ones in the query's order. */
    public record PerGroupLimit(String attribute, int limit) {
    }

    public QueryExpression(String entityName) {
        this.entityName = entityName;
    }

    public String entityName() {
        return entityName;
    }

    /** The attributes to return (logical names), or null for all. */
    public List<String> columns() {
        return columns;
    }

    public QueryExpression columns(List<String> cols) {
        this.columns = cols == null ? null : new ArrayList<>(cols);
        return this;
    }

    public FilterExpression criteria() {
        return criteria;
    }

    public QueryExpression criteria(FilterExpression f) {
        this.criteria = f;
        return this;
    }

    public QueryExpression where(Criterion c) {
        criteria.add(c);
        return this;
    }

    public List<Order> orders() {
        return orders;
    }

    public QueryExpression orderBy(String attribute, boolean descending) {
        orders.add(new Order(attribute, descending));
        return this;
    }

    public Integer top() {
        return top;
    }

    public QueryExpression top(Integer n) {
        this.top = n;
        return this;
    }

    /** Rows to pass over before the first one returned (FetchXML's simple paging). */
    public Integer skip() {
        return skip;
    }

    public QueryExpression skip(Integer n) {
        this.skip = n;
        return this;
    }

    public boolean distinct() {
        return distinct;
    }

    public QueryExpression distinct(boolean on) {
        this.distinct = on;
        return this;
    }

    /** Grouping and aggregates, or null for plain rows. */
    public Aggregation aggregation() {
        return aggregation;
    }

    public QueryExpression aggregation(Aggregation a) {
        this.aggregation = a;
        return this;
    }

    /**
     * The per-group limit (null: none): an expanded collection's {@code $top} for each parent row, read in the one
     * query of all the parents' related rows.
     */
    public PerGroupLimit perGroupLimit() {
        return perGroupLimit;
    }

    public QueryExpression perGroupLimit(PerGroupLimit limit) {
        this.perGroupLimit = limit;
        return this;
    }

    /** Joined related entities (FetchXML link-entity). */
    public List<LinkEntity> links() {
        return links;
    }

    public QueryExpression link(LinkEntity l) {
        links.add(l);
        return this;
    }

    /** Whether lookups come back with their target's primary name (for formatted values). */
    public boolean lookupNames() {
        return lookupNames;
    }

    public QueryExpression lookupNames(boolean on) {
        this.lookupNames = on;
        return this;
    }
}
