package dev.dve.store;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.LookupTarget;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.ColumnComparison;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.Not;
import dev.dve.query.Order;
import dev.dve.query.QueryExpression;

import java.util.ArrayList;
import java.util.List;

/** Turns a {@link QueryExpression} into one parameterised SELECT. User values only ever travel as parameters. */
public final class QueryTranslator {
    private static final String ALIAS = "t";
    private final MetadataCatalog catalog;
    private final SqlDialect dialect;

    public QueryTranslator(MetadataCatalog catalog, SqlDialect dialect) {
        this.catalog = catalog;
        this.dialect = dialect;
    }

    /** The attributes a query returns: the primary id first, then the requested ones (all when none are named). */
    public List<AttributeMetadata> selectedAttributes(QueryExpression q) {
        return catalog.require(q.entityName()).columns(q.columns());
    }

    /** More link-entities than this in one query are refused, as Dataverse does: each one is a join the database must plan. */
    public static final int MAX_LINK_ENTITIES = 15;

    /**
     * How the aliases of a query's joined entities map to their metadata and to SQL aliases. The SQL aliases are
     * generated ({@code l1}, {@code l2} …, subqueries {@code s1} …): a caller's alias only ever selects an entry here.
     */
    private final class Aliases {
        final java.util.Map<String, EntityMetadata> entities = new java.util.LinkedHashMap<>();
        final java.util.Map<String, String> sql = new java.util.LinkedHashMap<>();
        /** Subquery alias numbers, shared by every scope of one statement so nested subqueries never collide. */
        final int[] subqueries;

        Aliases(QueryExpression q) {
            this(q, new int[1]);
        }

        Aliases(QueryExpression q, int[] subqueries) {
            this.subqueries = subqueries;
            int[] n = {0};
            collect(q.links(), n);
        }

        String nextSubquery() {
            return "s" + (++subqueries[0]);
        }

        private void collect(List<dev.dve.query.LinkEntity> links, int[] n) {
            for (dev.dve.query.LinkEntity l : links) {
                String alias = l.alias() != null ? l.alias() : l.entityName();
                if (entities.containsKey(alias)) {
                    throw DataverseFault.query("The link-entity alias '" + alias + "' is used twice.");
                }
                if (n[0] >= MAX_LINK_ENTITIES) {
                    throw new DataverseFault(dev.dve.fault.ErrorCode.LINK_ENTITY_LIMIT, "Number of link entities in query exceeded maximum limit.");
                }
                entities.put(alias, catalog.entity(l.entityName()).orElseThrow(() -> DataverseFault.query(
                        "The entity with a name = '" + l.entityName() + "' with namemapping = 'Logical' was not found in the MetadataCache.")));
                sql.put(alias, "l" + (++n[0]));
                collect(l.links(), n);
            }
        }
    }

    /** The SQL labels of a row's place within its group and within the query's order (a per-group limit). */
    private static final String GROUP_ROW = "dve_group_row";
    private static final String ORDER_ROW = "dve_order_row";

    /** The SQL label of the i-th joined column a query returns (its "alias.column" name stays out of the SQL). */
    static String linkedLabel(int i) {
        return "j" + i;
    }

    /** The SQL label of the target-type column of the i-th joined column (polymorphic lookups). */
    static String linkedTypeLabel(int i) {
        return "j" + i + "t";
    }

    /** The SQL label of an aggregate query's i-th group column. */
    static String groupLabel(int i) {
        return "g" + i;
    }

    /** The SQL label of the target-type column of an aggregate query's i-th group (polymorphic lookups). */
    static String groupTypeLabel(int i) {
        return "g" + i + "t";
    }

    /** The SQL label of an aggregate query's i-th aggregate (its caller-given alias stays out of the SQL). */
    static String aggregateLabel(int i) {
        return "a" + i;
    }

    /** The SQL column of an attribute: {@code t.col} for the root entity, {@code lN.col} for {@code alias.col}. */
    private String column(EntityMetadata root, Aliases aliases, String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return col(attribute(root, name).logicalName());
        }
        String alias = name.substring(0, dot);
        EntityMetadata linked = aliases.entities.get(alias);
        if (linked == null) {
            throw DataverseFault.query("No link-entity has the alias '" + alias + "'.");
        }
        return aliases.sql.get(alias) + "." + dialect.quote(attribute(linked, name.substring(dot + 1)).logicalName());
    }

    /** The attribute a query names: {@code column} of its entity or {@code alias.column} of one of its link-entities. */
    public AttributeMetadata attributeOf(QueryExpression q, String reference) {
        int dot = reference.indexOf('.');
        if (dot < 0) {
            return attribute(catalog.require(q.entityName()), reference);
        }
        EntityMetadata linked = new Aliases(q).entities.get(reference.substring(0, dot));
        if (linked == null) {
            throw DataverseFault.query("No link-entity has the alias '" + reference.substring(0, dot) + "'.");
        }
        return attribute(linked, reference.substring(dot + 1));
    }

    /** The joined columns a query returns, as (alias, attribute) pairs. */
    public List<java.util.Map.Entry<String, AttributeMetadata>> linkedColumns(QueryExpression q) {
        List<java.util.Map.Entry<String, AttributeMetadata>> out = new ArrayList<>();
        collectColumns(q.links(), out);
        return out;
    }

    private void collectColumns(List<dev.dve.query.LinkEntity> links, List<java.util.Map.Entry<String, AttributeMetadata>> out) {
        for (dev.dve.query.LinkEntity l : links) {
            EntityMetadata le = catalog.require(l.entityName());
            String alias = l.alias() != null ? l.alias() : l.entityName();
            for (String c : l.columns()) {
                out.add(java.util.Map.entry(alias, attribute(le, c)));
            }
            collectColumns(l.links(), out);
        }
    }

    private void joins(StringBuilder sql, EntityMetadata root, String parentSql, EntityMetadata parent, List<dev.dve.query.LinkEntity> links,
                       Aliases aliases, List<Object> params) {
        for (dev.dve.query.LinkEntity l : links) {
            String alias = l.alias() != null ? l.alias() : l.entityName();
            EntityMetadata le = aliases.entities.get(alias);
            String a = aliases.sql.get(alias);
            String joinColumn = dialect.quote(attribute(le, l.from()).logicalName());
            String parentColumn = parentSql + "." + dialect.quote(attribute(parent, l.to()).logicalName());
            sql.append(l.outer() || l.firstRowOnly() ? " LEFT OUTER JOIN " : " INNER JOIN ").append(dialect.quote(le.tableName())).append(' ').append(a);
            if (l.firstRowOnly()) {
                // the first matching row by primary key, its criteria inside the choice: ON a.id = (SELECT f.id … LIMIT 1)
                String f = a + "f";
                String key = dialect.quote(le.primaryIdAttribute());
                sql.append(" ON ").append(a).append('.').append(key).append(" = (SELECT ").append(f).append('.').append(key)
                        .append(" FROM ").append(dialect.quote(le.tableName())).append(' ').append(f)
                        .append(" WHERE ").append(f).append('.').append(joinColumn).append(" = ").append(parentColumn);
                if (l.criteria() != null && !l.criteria().children().isEmpty()) {
                    sql.append(" AND ");
                    criterion(sql, le, new Aliases(new QueryExpression(le.logicalName()), aliases.subqueries), l.criteria(), params, f);
                }
                sql.append(" ORDER BY ").append(f).append('.').append(key).append(" LIMIT 1)");
                joins(sql, root, a, le, l.links(), aliases, params);
                continue;
            }
            sql.append(" ON ").append(a).append('.').append(joinColumn).append(" = ").append(parentColumn);
            if (l.criteria() != null && !l.criteria().children().isEmpty()) {
                sql.append(" AND ");
                criterion(sql, le, new Aliases(new QueryExpression(le.logicalName()), aliases.subqueries), l.criteria(), params, a);
            }
            joins(sql, root, a, le, l.links(), aliases, params);
        }
    }

    public SqlStatement select(QueryExpression q) {
        EntityMetadata e = catalog.require(q.entityName());
        Aliases aliases = new Aliases(q);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(q.distinct() ? "SELECT DISTINCT " : "SELECT ");
        boolean first = true;
        for (AttributeMetadata a : selectedAttributes(q)) {
            if (!first) {
                sql.append(", ");
            }
            first = false;
            sql.append(col(a.logicalName()));
            if (a.isPolymorphic()) {
                sql.append(", ").append(col(Columns.lookupType(a)));
            }
            if (a.type().isLookup() && q.lookupNames()) {
                sql.append(", ").append(nameExpression(a)).append(" AS ").append(dialect.quote(Columns.lookupName(a)));
            }
        }
        List<java.util.Map.Entry<String, AttributeMetadata>> linked = linkedColumns(q);
        for (int i = 0; i < linked.size(); i++) {
            java.util.Map.Entry<String, AttributeMetadata> c = linked.get(i);
            String a = aliases.sql.get(c.getKey());
            sql.append(", ").append(a).append('.').append(dialect.quote(c.getValue().logicalName())).append(" AS ")
                    .append(dialect.quote(linkedLabel(i)));
            if (c.getValue().isPolymorphic()) {
                sql.append(", ").append(a).append('.').append(dialect.quote(Columns.lookupType(c.getValue()))).append(" AS ")
                        .append(dialect.quote(linkedTypeLabel(i)));
            }
        }
        StringBuilder order = new StringBuilder();
        boolean idOrdered = false;
        for (Order o : q.orders()) {
            order.append(column(e, aliases, o.attribute())).append(o.descending() ? " DESC" : " ASC").append(", ");
            idOrdered |= o.attribute().equals(e.primaryIdAttribute());
        }
        if (idOrdered) {
            order.setLength(order.length() - 2);
        } else {
            order.append(col(e.primaryIdAttribute())).append(" ASC");
        }
        QueryExpression.PerGroupLimit perGroup = q.perGroupLimit();
        if (perGroup != null) {
            // each row's place within its group and within the whole order, to keep the first rows of each group
            sql.append(", ROW_NUMBER() OVER (PARTITION BY ").append(col(attribute(e, perGroup.attribute()).logicalName())).append(" ORDER BY ")
                    .append(order).append(") AS ").append(dialect.quote(GROUP_ROW)).append(", ROW_NUMBER() OVER (ORDER BY ").append(order)
                    .append(") AS ").append(dialect.quote(ORDER_ROW));
        }
        sql.append(" FROM ").append(dialect.quote(e.tableName())).append(' ').append(ALIAS);
        List<Object> joinParams = new ArrayList<>();
        joins(sql, e, ALIAS, e, q.links(), aliases, joinParams);
        params.addAll(joinParams);
        appendWhere(sql, e, aliases, q.criteria(), params);
        if (perGroup != null) {
            sql.insert(0, "SELECT * FROM (").append(") w WHERE w.").append(dialect.quote(GROUP_ROW)).append(" <= ? ORDER BY w.")
                    .append(dialect.quote(ORDER_ROW));
            params.add(perGroup.limit());
        } else {
            sql.append(" ORDER BY ").append(order);
        }
        if (q.top() != null) {
            sql.append(" LIMIT ?");
            params.add(q.top());
        } else if (q.skip() != null) {
            sql.append(" LIMIT ?");
            params.add(Integer.MAX_VALUE);
        }
        if (q.skip() != null && q.skip() > 0) {
            sql.append(" OFFSET ?");
            params.add(q.skip());
        }
        return new SqlStatement(sql.toString(), params);
    }

    /** SELECT group columns and aggregates … GROUP BY …, ordered by the group columns. */
    public SqlStatement aggregate(QueryExpression q) {
        EntityMetadata e = catalog.require(q.entityName());
        dev.dve.query.Aggregation agg = q.aggregation();
        Aliases aliases = new Aliases(q);
        List<Object> params = new ArrayList<>();
        List<String> select = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        for (int gi = 0; gi < agg.groupBy().size(); gi++) {
            String g = agg.groupBy().get(gi);
            labels.put(g, groupLabel(gi));
            dev.dve.query.Aggregation.DateGroup dg = agg.dateGrouping().get(g);
            if (dg != null) {
                String expr = dg.fiscalStart() != null ? dialect.fiscalPart(dg.part(), column(e, aliases, dg.attribute()), dg.fiscalStart())
                        : dialect.datePart(dg.part(), column(e, aliases, dg.attribute()));
                select.add(expr + " AS " + dialect.quote(groupLabel(gi)));
                groups.add(expr);
                continue;
            }
            if (g.indexOf('.') > 0) {
                // a column of a joined row (a lookup path)
                String expr = column(e, aliases, g);
                select.add(expr + " AS " + dialect.quote(groupLabel(gi)));
                groups.add(expr);
                continue;
            }
            AttributeMetadata a = attribute(e, g);
            select.add(col(a.logicalName()) + " AS " + dialect.quote(groupLabel(gi)));
            groups.add(col(a.logicalName()));
            if (a.isPolymorphic()) {
                select.add(col(Columns.lookupType(a)) + " AS " + dialect.quote(groupTypeLabel(gi)));
                groups.add(col(Columns.lookupType(a)));
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>(agg.groupBy());
        for (int ai = 0; ai < agg.aggregates().size(); ai++) {
            dev.dve.query.Aggregation.Aggregate x = agg.aggregates().get(ai);
            if (!names.add(x.alias())) {
                throw DataverseFault.query("The alias '" + x.alias() + "' is used more than once in the aggregate query.");
            }
            labels.put(x.alias(), aggregateLabel(ai));
            if (x.attribute() != null) {
                requireAggregatable(x.function(), attributeOf(q, x.attribute()));
            }
            String target = x.attribute() == null ? null : column(e, aliases, x.attribute());
            String expr = switch (x.function()) {
                case COUNT -> "COUNT(*)";
                case COUNT_COLUMN -> "COUNT(" + target + ")";
                case COUNT_DISTINCT -> "COUNT(DISTINCT " + target + ")";
                case SUM -> "SUM(" + target + ")";
                case AVG -> "AVG(" + target + ")";
                case MIN -> "MIN(" + target + ")";
                case MAX -> "MAX(" + target + ")";
            };
            select.add(expr + " AS " + dialect.quote(aggregateLabel(ai)));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select)).append(" FROM ")
                .append(dialect.quote(e.tableName())).append(' ').append(ALIAS);
        joins(sql, e, ALIAS, e, q.links(), aliases, params);
        appendWhere(sql, e, aliases, q.criteria(), params);
        List<String> orderBy = new ArrayList<>();
        for (Order o : q.orders()) {
            // an aggregate query orders by its own output columns: a group's attribute name, a dategroup's or an aggregate's alias
            String label = labels.get(o.attribute());
            if (label == null) {
                throw DataverseFault.query("The order '" + o.attribute() + "' names no column of the aggregate query.");
            }
            orderBy.add(dialect.quote(label) + (o.descending() ? " DESC" : " ASC"));
        }
        if (!groups.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", groups));
            orderBy.addAll(groups);
        }
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        return new SqlStatement(sql.toString(), params);
    }

    /** sum and avg need numbers; min and max numbers or dates; the counts take any column. */
    private static void requireAggregatable(dev.dve.query.Aggregation.Function f, AttributeMetadata a) {
        boolean numeric = switch (a.type()) {
            case INTEGER, BIGINT, DECIMAL, DOUBLE, MONEY -> true;
            default -> false;
        };
        boolean ok = switch (f) {
            case SUM, AVG -> numeric;
            case MIN, MAX -> numeric || a.type() == dev.dve.metadata.AttributeType.DATETIME;
            default -> true;
        };
        if (!ok) {
            throw DataverseFault.query("The aggregate '" + f.name().toLowerCase(java.util.Locale.ROOT) + "' cannot be applied to the attribute '"
                    + a.logicalName() + "' of type " + a.type().name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
    }

    public SqlStatement count(QueryExpression q) {
        EntityMetadata e = catalog.require(q.entityName());
        Aliases aliases = new Aliases(q);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(q.distinct() || !q.links().isEmpty()
                ? "SELECT COUNT(DISTINCT " + col(e.primaryIdAttribute()) + ") FROM " : "SELECT COUNT(*) FROM ")
                .append(dialect.quote(e.tableName())).append(' ').append(ALIAS);
        joins(sql, e, ALIAS, e, q.links(), aliases, params);
        appendWhere(sql, e, aliases, q.criteria(), params);
        return new SqlStatement(sql.toString(), params);
    }

    private void appendWhere(StringBuilder sql, EntityMetadata e, Aliases aliases, FilterExpression f, List<Object> params) {
        if (f != null && !f.children().isEmpty()) {
            sql.append(" WHERE ");
            criterion(sql, e, aliases, f, params, ALIAS);
        }
    }

    private String nameExpression(AttributeMetadata a) {
        if (!a.isPolymorphic()) {
            return nameSubquery(a, a.targets().get(0));
        }
        if (a.targets().isEmpty()) {
            return "CAST(NULL AS CHAR(1))";
        }
        StringBuilder s = new StringBuilder("CASE ").append(col(Columns.lookupType(a)));
        for (LookupTarget t : a.targets()) {
            s.append(" WHEN '").append(t.entity()).append("' THEN ").append(nameSubquery(a, t));
        }
        return s.append(" END").toString();
    }

    private String nameSubquery(AttributeMetadata a, LookupTarget t) {
        EntityMetadata target = catalog.require(t.entity());
        if (target.primaryNameAttribute() == null) {
            return "CAST(NULL AS CHAR(1))"; // CHAR: MariaDB casts to VARCHAR only in Oracle mode
        }
        return "(SELECT n." + dialect.quote(target.primaryNameAttribute()) + " FROM " + dialect.quote(target.tableName())
                + " n WHERE n." + dialect.quote(target.primaryIdAttribute()) + " = " + col(a.logicalName()) + ")";
    }

    private void criterion(StringBuilder sql, EntityMetadata e, Aliases aliases, Criterion c, List<Object> params, String rootAlias) {
        if (c instanceof FilterExpression f) {
            if (f.children().isEmpty()) {
                sql.append("1=1");
                return;
            }
            String joiner = f.operator() == LogicalOperator.AND ? " AND " : " OR ";
            sql.append('(');
            for (int i = 0; i < f.children().size(); i++) {
                if (i > 0) {
                    sql.append(joiner);
                }
                criterion(sql, e, aliases, f.children().get(i), params, rootAlias);
            }
            sql.append(')');
        } else if (c instanceof Not n) {
            sql.append("NOT (");
            criterion(sql, e, aliases, n.inner(), params, rootAlias);
            sql.append(')');
        } else if (c instanceof ColumnComparison cc) {
            sql.append(qualified(e, aliases, cc.left(), rootAlias)).append(' ').append(comparison(cc.operator()))
                    .append(' ').append(qualified(e, aliases, cc.right(), rootAlias));
        } else if (c instanceof Condition cond) {
            condition(sql, e, aliases, cond, params, rootAlias);
        } else if (c instanceof dev.dve.query.SubqueryCondition sub) {
            EntityMetadata related = catalog.require(sub.entity());
            String alias = aliases.nextSubquery();
            sql.append(qualified(e, aliases, sub.attribute(), rootAlias)).append(sub.negated() ? " NOT IN (SELECT " : " IN (SELECT ")
                    .append(alias).append('.').append(dialect.quote(attribute(related, sub.key()).logicalName()))
                    .append(" FROM ").append(dialect.quote(related.tableName())).append(' ').append(alias)
                    .append(" WHERE ").append(alias).append('.').append(dialect.quote(attribute(related, sub.key()).logicalName())).append(" IS NOT NULL AND ");
            criterion(sql, related, new Aliases(new QueryExpression(related.logicalName()), aliases.subqueries), sub.criteria(), params, alias);
            sql.append(')');
        } else if (c instanceof dev.dve.query.HierarchyCondition h) {
            hierarchy(sql, e, aliases, h, params, rootAlias);
        }
    }

    /**
     * A hierarchy condition as one recursive subquery in the statement:
     * {@code col IN (WITH RECURSIVE hN(hid, hdepth) AS (anchor UNION ALL step) SELECT hid FROM hN)}. Below a row the
     * anchor is its children and each step the children of the rows found; above a row the anchor is its parent and
     * each step the parent of the row found. Each step passes only rows meeting the walk filter and stops at the depth
     * bound, which also ends the walk round a cycle. Table and column names come from the catalog; the root id and the
     * depth travel as parameters.
     */
    private void hierarchy(StringBuilder sql, EntityMetadata e, Aliases aliases, dev.dve.query.HierarchyCondition h, List<Object> params, String rootAlias) {
        EntityMetadata walked = catalog.require(h.entity());
        String parentName = walked.hierarchyAttribute().orElseThrow(() -> DataverseFault.query(
                "The entity '" + walked.logicalName() + "' has no hierarchical relationship."));
        String column = qualified(e, aliases, h.attribute(), rootAlias);
        String cte = "h" + aliases.nextSubquery();
        String row = aliases.nextSubquery();
        String table = dialect.quote(walked.tableName()) + " " + row;
        String id = row + "." + dialect.quote(walked.primaryIdAttribute());
        String parent = row + "." + dialect.quote(attribute(walked, parentName).logicalName());
        boolean below = h.direction() == dev.dve.query.HierarchyCondition.Direction.BELOW;
        String reached = below ? id : parent;
        Aliases walkAliases = new Aliases(new QueryExpression(walked.logicalName()), aliases.subqueries);
        sql.append(h.negated() ? "NOT (" : "(");
        if (h.includeRoot()) {
            sql.append(column).append(" = ? OR ");
            params.add(JdbcValues.toJdbc(h.root()));
        }
        sql.append(column).append(" IN (WITH RECURSIVE ").append(cte).append("(hid, hdepth) AS (SELECT ").append(reached).append(", 1 FROM ")
                .append(table).append(" WHERE ").append(below ? parent : id).append(" = ?");
        params.add(JdbcValues.toJdbc(h.root()));
        if (!below) {
            sql.append(" AND ").append(parent).append(" IS NOT NULL");
        }
        sql.append(" AND ");
        criterion(sql, walked, walkAliases, h.walkFilter(), params, row);
        sql.append(" UNION ALL SELECT ").append(reached).append(", ").append(cte).append(".hdepth + 1 FROM ").append(table)
                .append(" INNER JOIN ").append(cte).append(" ON ").append(below ? parent : id).append(" = ").append(cte).append(".hid WHERE ")
                .append(cte).append(".hdepth < ?");
        params.add(h.maxDepth());
        if (!below) {
            sql.append(" AND ").append(parent).append(" IS NOT NULL");
        }
        sql.append(" AND ");
        criterion(sql, walked, walkAliases, h.walkFilter(), params, row);
        sql.append(") SELECT ").append(cte).append(".hid FROM ").append(cte).append("))");
    }

    private String qualified(EntityMetadata e, Aliases aliases, String name, String rootAlias) {
        if (name.indexOf('.') >= 0) {
            return column(e, aliases, name);
        }
        return rootAlias + "." + dialect.quote(attribute(e, name).logicalName());
    }

    private void condition(StringBuilder sql, EntityMetadata e, Aliases aliases, Condition c, List<Object> params, String rootAlias) {
        String column = qualified(e, aliases, c.attribute(), rootAlias);
        List<Object> v = c.values();
        switch (c.operator()) {
            case NULL -> sql.append(column).append(" IS NULL");
            case NOT_NULL -> sql.append(column).append(" IS NOT NULL");
            case EQUAL, NOT_EQUAL, GREATER_THAN, GREATER_EQUAL, LESS_THAN, LESS_EQUAL -> {
                Object value = single(c);
                if (value == null) {
                    sql.append(column).append(c.operator() == ConditionOperator.NOT_EQUAL ? " IS NOT NULL" : " IS NULL");
                } else if (c.operator() == ConditionOperator.NOT_EQUAL) {
                    // Dataverse's ne keeps rows where the column is null, as SQL Server's <> with ANSI_NULLS off does not
                    sql.append('(').append(column).append(" <> ? OR ").append(column).append(" IS NULL)");
                    params.add(JdbcValues.toJdbc(value));
                } else {
                    sql.append(column).append(' ').append(comparison(c.operator())).append(" ?");
                    params.add(JdbcValues.toJdbc(value));
                }
            }
            case LIKE, NOT_LIKE -> like(sql, column, c.operator() == ConditionOperator.NOT_LIKE, String.valueOf(single(c)), params);
            case BEGINS_WITH, NOT_BEGIN_WITH -> like(sql, column, c.operator() == ConditionOperator.NOT_BEGIN_WITH, single(c) + "%", params);
            case ENDS_WITH, NOT_END_WITH -> like(sql, column, c.operator() == ConditionOperator.NOT_END_WITH, "%" + single(c), params);
            case IN, NOT_IN -> {
                if (v.isEmpty()) {
                    throw DataverseFault.query("The 'In' operator needs at least one value.");
                }
                sql.append(column).append(c.operator() == ConditionOperator.NOT_IN ? " NOT IN (" : " IN (");
                for (int i = 0; i < v.size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                    params.add(JdbcValues.toJdbc(v.get(i)));
                }
                sql.append(')');
            }
            case IN_FISCAL_PERIOD -> {
                if (v.size() != 2 || !(v.get(0) instanceof Number) || !(v.get(1) instanceof dev.dve.query.FiscalCalendar calendar)) {
                    throw new IllegalArgumentException("IN_FISCAL_PERIOD takes the period and the fiscal calendar");
                }
                sql.append(dialect.fiscalPeriod(column, calendar)).append(" = ?");
                params.add(((Number) v.get(0)).intValue());
            }
            case MASK -> {
                if (!(single(c) instanceof Number flags)) {
                    throw new IllegalArgumentException("MASK takes one integer");
                }
                sql.append(dialect.bitAnd(column, "?")).append(" <> 0");
                params.add(flags.intValue());
            }
            case BETWEEN, NOT_BETWEEN -> {
                if (v.size() != 2) {
                    throw DataverseFault.query("The 'Between' operator needs exactly two values.");
                }
                sql.append(column).append(c.operator() == ConditionOperator.NOT_BETWEEN ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?");
                params.add(JdbcValues.toJdbc(v.get(0)));
                params.add(JdbcValues.toJdbc(v.get(1)));
            }
        }
    }

    private static void like(StringBuilder sql, String column, boolean negated, String pattern, List<Object> params) {
        if (negated) {
            sql.append('(').append(column).append(" NOT LIKE ? OR ").append(column).append(" IS NULL)");
        } else {
            sql.append(column).append(" LIKE ?");
        }
        params.add(pattern);
    }

    private static Object single(Condition c) {
        if (c.values().size() != 1) {
            throw DataverseFault.query("The condition operator " + c.operator() + " needs exactly one value.");
        }
        return c.values().get(0);
    }

    private static String comparison(ConditionOperator op) {
        return switch (op) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case GREATER_THAN -> ">";
            case GREATER_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_EQUAL -> "<=";
            default -> throw DataverseFault.query("Operator " + op + " cannot compare two columns.");
        };
    }

    private AttributeMetadata attribute(EntityMetadata e, String name) {
        return e.attribute(name).orElseThrow(() -> DataverseFault.query(
                "'" + e.logicalName() + "' entity doesn't contain attribute with Name = '" + name + "'."));
    }

    private String col(String column) {
        return ALIAS + "." + dialect.quote(column);
    }
}
