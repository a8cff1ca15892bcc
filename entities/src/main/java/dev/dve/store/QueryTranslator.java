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

    public SqlStatement select(QueryExpression q) {
        EntityMetadata e = catalog.require(q.entityName());
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
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
        sql.append(" FROM ").append(dialect.quote(e.tableName())).append(' ').append(ALIAS);
        appendWhere(sql, e, q.criteria(), params);
        sql.append(" ORDER BY ");
        boolean idOrdered = false;
        for (Order o : q.orders()) {
            AttributeMetadata a = attribute(e, o.attribute());
            sql.append(col(a.logicalName())).append(o.descending() ? " DESC" : " ASC").append(", ");
            idOrdered |= a.logicalName().equals(e.primaryIdAttribute());
        }
        if (idOrdered) {
            sql.setLength(sql.length() - 2);
        } else {
            sql.append(col(e.primaryIdAttribute())).append(" ASC");
        }
        if (q.top() != null) {
            sql.append(" LIMIT ?");
            params.add(q.top());
        }
        return new SqlStatement(sql.toString(), params);
    }

    public SqlStatement count(QueryExpression q) {
        EntityMetadata e = catalog.require(q.entityName());
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(dialect.quote(e.tableName())).append(' ').append(ALIAS);
        appendWhere(sql, e, q.criteria(), params);
        return new SqlStatement(sql.toString(), params);
    }

    private void appendWhere(StringBuilder sql, EntityMetadata e, FilterExpression f, List<Object> params) {
        if (f != null && !f.children().isEmpty()) {
            sql.append(" WHERE ");
            criterion(sql, e, f, params);
        }
    }

    private String nameExpression(AttributeMetadata a) {
        if (!a.isPolymorphic()) {
            return nameSubquery(a, a.targets().get(0));
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
            return "CAST(NULL AS VARCHAR(1))";
        }
        return "(SELECT n." + dialect.quote(target.primaryNameAttribute()) + " FROM " + dialect.quote(target.tableName())
                + " n WHERE n." + dialect.quote(target.primaryIdAttribute()) + " = " + col(a.logicalName()) + ")";
    }

    private void criterion(StringBuilder sql, EntityMetadata e, Criterion c, List<Object> params) {
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
                criterion(sql, e, f.children().get(i), params);
            }
            sql.append(')');
        } else if (c instanceof Not n) {
            sql.append("NOT (");
            criterion(sql, e, n.inner(), params);
            sql.append(')');
        } else if (c instanceof ColumnComparison cc) {
            sql.append(col(attribute(e, cc.left()).logicalName())).append(' ').append(comparison(cc.operator()))
                    .append(' ').append(col(attribute(e, cc.right()).logicalName()));
        } else if (c instanceof Condition cond) {
            condition(sql, e, cond, params);
        }
    }

    private void condition(StringBuilder sql, EntityMetadata e, Condition c, List<Object> params) {
        String column = col(attribute(e, c.attribute()).logicalName());
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
