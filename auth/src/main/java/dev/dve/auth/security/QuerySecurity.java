package dev.dve.auth.security;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LinkEntity;
import dev.dve.query.Not;
import dev.dve.query.QueryExpression;
import dev.dve.query.SubqueryCondition;

import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a query to the rows a principal may read, as part of its SQL: the root table's read filter, and the same
 * filter on every joined table (link-entities) and every table a subquery reaches (lookup paths, {@code any}/{@code
 * all}, FetchXML's exists/in links, hierarchy walks), so neither a join nor a filter can reveal a row the caller may not read.
 */
public final class QuerySecurity {
    private final AccessPolicy access;
    private final MetadataCatalog catalog;

    public QuerySecurity(AccessPolicy access, MetadataCatalog catalog) {
        this.access = access;
        this.catalog = catalog;
    }

    /**
     * Adds the read filters to the query. The query gets new criteria and links rather than changed ones, as a count
     * and a page of the same request may share their parts.
     */
    public void secure(SecurityPrincipal p, QueryExpression query) {
        query.criteria((FilterExpression) secureSubqueries(p, query.criteria()));
        Criterion filter = access.readFilter(p, catalog.require(query.entityName()));
        if (filter != null) {
            query.where(filter);
        }
        List<LinkEntity> links = secureLinks(p, query.links());
        query.links().clear();
        query.links().addAll(links);
    }

    /** Joined rows are read-filtered too: the filter becomes part of each join. */
    private List<LinkEntity> secureLinks(SecurityPrincipal p, List<LinkEntity> links) {
        List<LinkEntity> out = new ArrayList<>();
        for (LinkEntity l : links) {
            FilterExpression criteria = l.criteria() == null ? FilterExpression.and() : FilterExpression.and(secureSubqueries(p, l.criteria()));
            Criterion filter = access.readFilter(p, catalog.require(l.entityName()));
            if (filter != null) {
                criteria.add(filter);
            }
            out.add(new LinkEntity(l.entityName(), l.from(), l.to(), l.alias(), l.outer(), l.columns(), criteria,
                    secureLinks(p, l.links()), l.firstRowOnly()));
        }
        return out;
    }

    /** A secured copy of the criterion: rows reached through its subqueries are read-filtered as well. */
    private Criterion secureSubqueries(SecurityPrincipal p, Criterion c) {
        if (c instanceof FilterExpression f) {
            return new FilterExpression(f.operator(), f.children().stream().map(child -> secureSubqueries(p, child)).toList());
        }
        if (c instanceof Not n) {
            return new Not(secureSubqueries(p, n.inner()));
        }
        if (c instanceof dev.dve.query.HierarchyCondition h) {
            // a hierarchy walk passes only rows the principal may read: an unreadable row ends its branch
            Criterion filter = access.readFilter(p, catalog.require(h.entity()));
            return filter == null ? h : h.walkingOnly(filter);
        }
        if (c instanceof SubqueryCondition sub) {
            Criterion inner = secureSubqueries(p, sub.criteria());
            Criterion filter = access.readFilter(p, catalog.require(sub.entity()));
            return new SubqueryCondition(sub.attribute(), sub.negated(), sub.entity(), sub.key(),
                    filter == null ? inner : FilterExpression.and(inner, filter));
        }
        return c;
    }
}
