package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.query.Aggregation;
import dev.dve.query.QueryExpression;
import org.apache.olingo.server.api.uri.UriInfoResource;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceCount;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.ApplyItem;
import org.apache.olingo.server.api.uri.queryoption.ApplyOption;
import org.apache.olingo.server.api.uri.queryoption.apply.Aggregate;
import org.apache.olingo.server.api.uri.queryoption.apply.AggregateExpression;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupBy;
import org.apache.olingo.server.api.uri.queryoption.apply.GroupByItem;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code $apply} as Dataverse supports it: {@code filter(…)}, {@code groupby((a,b))}, {@code groupby((a),aggregate(x with sum as t))}
 * and {@code aggregate($count as n)}, turned into one grouping query.
 */
final class ApplyTranslator {
    private ApplyTranslator() {
    }

    static QueryExpression translate(EntityMetadata e, ApplyOption apply, UriInfoResource aliases, QueryFunctions.Context ctx) {
        QueryExpression q = new QueryExpression(e.logicalName());
        List<String> groups = new ArrayList<>();
        List<Aggregation.Aggregate> aggregates = new ArrayList<>();
        items(e, apply, aliases, ctx, q, groups, aggregates);
        if (groups.isEmpty() && aggregates.isEmpty()) {
            throw DataverseFault.query("$apply needs groupby or aggregate.");
        }
        return q.aggregation(new Aggregation(groups, aggregates));
    }

    private static void items(EntityMetadata e, ApplyOption apply, UriInfoResource aliases, QueryFunctions.Context ctx, QueryExpression q,
                              List<String> groups, List<Aggregation.Aggregate> aggregates) {
        for (ApplyItem item : apply.getApplyItems()) {
            switch (item.getKind()) {
                case FILTER -> q.where(new FilterTranslator(e, aliases, ctx, ctx.catalog())
                        .translate(((org.apache.olingo.server.api.uri.queryoption.apply.Filter) item).getFilterOption().getExpression()));
                case GROUP_BY -> {
                    GroupBy g = (GroupBy) item;
                    for (GroupByItem gi : g.getGroupByItems()) {
                        if (gi.getPath() != null && gi.getPath().size() == 2 && gi.getPath().get(0) instanceof UriResourceNavigation nav) {
                            groups.add(lookupPathGroup(e, nav, gi.getPath().get(1), q, ctx));
                            continue;
                        }
                        AttributeMetadata a = attribute(e, gi.getPath());
                        if (a.type() == dev.dve.metadata.AttributeType.DATETIME) {
                            throw DataverseFault.query("Grouping by a date and time column is not supported; use FetchXML dategrouping.");
                        }
                        groups.add(a.logicalName());
                    }
                    if (g.getApplyOption() != null) {
                        items(e, g.getApplyOption(), aliases, ctx, q, groups, aggregates);
                    }
                }
                case AGGREGATE -> {
                    for (AggregateExpression x : ((Aggregate) item).getExpressions()) {
                        aggregates.add(aggregate(e, x));
                    }
                }
                default -> throw DataverseFault.query("The $apply transformation '" + item.getKind().toString().toLowerCase() + "' is not supported.");
            }
        }
    }

    /**
     * {@code groupby((primarycontactid/fullname))}: an outer join to the lookup's row, grouped by its column; the group comes back
     * as {@code {"primarycontactid":{"fullname":…}}}. The join is named after the navigation property.
     */
    private static String lookupPathGroup(EntityMetadata e, UriResourceNavigation nav, UriResource leaf, QueryExpression q, QueryFunctions.Context ctx) {
        String navName = nav.getProperty().getName();
        if (nav.getProperty().isCollection()) {
            throw DataverseFault.query("$apply groups by lookup navigation properties only; '" + navName + "' is a collection.");
        }
        dev.dve.metadata.OneToManyRelationship r = ctx.catalog().manyToOne(e.logicalName()).stream()
                .filter(x -> x.referencingNavigation().equals(navName)).findFirst()
                .orElseThrow(() -> DataverseFault.query("Could not find a navigation property named '" + navName + "'."));
        EntityMetadata target = ctx.catalog().require(r.referencedEntity());
        AttributeMetadata a = attribute(target, List.of(leaf));
        if (a.type().isLookup() || a.type() == dev.dve.metadata.AttributeType.DATETIME) {
            throw DataverseFault.query("$apply groups by a simple column of the related row; '" + navName + "/" + a.webApiName() + "' is not one.");
        }
        if (q.links().stream().noneMatch(l -> navName.equals(l.alias()))) {
            q.link(new dev.dve.query.LinkEntity(target.logicalName(), target.primaryIdAttribute(), r.referencingAttribute(), navName, true,
                    List.of(), new dev.dve.query.FilterExpression(dev.dve.query.LogicalOperator.AND, List.of()), List.of()));
        }
        return navName + "." + a.logicalName();
    }

    private static Aggregation.Aggregate aggregate(EntityMetadata e, AggregateExpression x) {
        String alias = x.getAlias();
        if (alias == null || alias.isBlank()) {
            throw DataverseFault.query("An aggregate in $apply needs an alias ('as <name>').");
        }
        boolean count = x.getPath() != null && !x.getPath().isEmpty() && x.getPath().get(x.getPath().size() - 1) instanceof UriResourceCount;
        if (count) {
            return new Aggregation.Aggregate(Aggregation.Function.COUNT, null, alias);
        }
        if (!(x.getExpression() instanceof Member m) || x.getStandardMethod() == null) {
            throw DataverseFault.query("Aggregates in $apply take the form '<property> with sum|average|min|max|countdistinct as <alias>'.");
        }
        AttributeMetadata a = attribute(e, m.getResourcePath().getUriResourceParts());
        Aggregation.Function f = switch (x.getStandardMethod()) {
            case SUM -> Aggregation.Function.SUM;
            case AVERAGE -> Aggregation.Function.AVG;
            case MIN -> Aggregation.Function.MIN;
            case MAX -> Aggregation.Function.MAX;
            case COUNT_DISTINCT -> Aggregation.Function.COUNT_DISTINCT;
        };
        return new Aggregation.Aggregate(f, a.logicalName(), alias);
    }

    private static AttributeMetadata attribute(EntityMetadata e, List<UriResource> path) {
        if (path == null || path.size() != 1 || !(path.get(0) instanceof UriResourcePrimitiveProperty p)) {
            throw DataverseFault.query("$apply supports the entity's own properties and single lookup paths (primarycontactid/fullname) only.");
        }
        String name = p.getProperty().getName();
        return e.byWebApiName(name).orElseThrow(() -> DataverseFault.query(
                "Could not find a property named '" + name + "' on type 'Microsoft.Dynamics.CRM." + e.logicalName() + "'."));
    }
}
