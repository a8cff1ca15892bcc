package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.query.QueryExpression;
import org.apache.olingo.server.api.uri.UriInfoResource;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;
import org.apache.olingo.server.api.uri.queryoption.FilterOption;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.OrderByOption;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;
import org.apache.olingo.server.api.uri.queryoption.TopOption;
import org.apache.olingo.server.api.uri.queryoption.SelectItem;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;

import java.util.ArrayList;
import java.util.List;

/** Translates the system query options of a request ($select, $filter, $orderby, $top) into a {@link QueryExpression}. */
final class QueryOptionTranslator {
    static final int MAX_PAGE = dev.dve.engine.query.RetrieveMultiple.MAX_PAGE;
    /** Dataverse allows up to 15 $expand options in a query. */
    static final int MAX_EXPAND = 15;

    private QueryOptionTranslator() {
    }

    static QueryExpression translate(EntityMetadata e, UriInfoResource uri, QueryFunctions.Context context) {
        rejectUnsupported(uri);
        return translate(e, uri.getSelectOption(), uri.getFilterOption(), uri.getOrderByOption(), uri.getTopOption(), uri, context);
    }

    /** The same for one level of options (also those nested in an $expand item); aliases resolve against {@code aliases}. */
    static QueryExpression translate(EntityMetadata e, SelectOption select, FilterOption filter, OrderByOption orderBy,
                                     TopOption top, UriInfoResource aliases, QueryFunctions.Context context) {
        QueryExpression q = new QueryExpression(e.logicalName()).columns(columns(e, select));
        if (filter != null) {
            q.where(new FilterTranslator(e, aliases, context, context.catalog()).translate(filter.getExpression()));
        }
        if (orderBy != null) {
            for (OrderByItem item : orderBy.getOrders()) {
                if (!(item.getExpression() instanceof Member m)) {
                    throw DataverseFault.query("$orderby supports properties only.");
                }
                q.orderBy(attribute(e, m.getResourcePath().getUriResourceParts()).logicalName(), item.isDescending());
            }
        }
        if (top != null) {
            if (top.getValue() > MAX_PAGE) {
                throw DataverseFault.query("The limit of '" + MAX_PAGE + "' for Top query has been exceeded. The value from the incoming request is '"
                        + top.getValue() + "'.");
            }
            q.top(top.getValue());
        }
        return q;
    }

    static void rejectUnsupported(UriInfoResource uri) {
        if (uri.getSkipOption() != null) {
            throw DataverseFault.query("The query parameter $skip is not supported");
        }
        if (uri.getSearchOption() != null) {
            throw DataverseFault.query("The query parameter $search is not supported");
        }
        if (expandOptions(uri.getExpandOption()) > MAX_EXPAND) {
            throw DataverseFault.query("The number of $expand options exceeds the limit of " + MAX_EXPAND + ".");
        }
    }

    /** Every $expand option, nested ones too: each one is a join (which also bounds how deep they nest). */
    private static int expandOptions(ExpandOption expand) {
        if (expand == null) {
            return 0;
        }
        int n = 0;
        for (ExpandItem item : expand.getExpandItems()) {
            n += 1 + expandOptions(item.getExpandOption());
            if (n > MAX_EXPAND) {
                break;
            }
        }
        return n;
    }

    /** The attributes $select names (null when there is no $select or it is {@code *}). */
    static List<String> columns(EntityMetadata e, UriInfoResource uri) {
        return columns(e, uri.getSelectOption());
    }

    static List<String> columns(EntityMetadata e, SelectOption select) {
        if (select == null) {
            return null;
        }
        List<String> cols = new ArrayList<>();
        for (SelectItem item : select.getSelectItems()) {
            if (item.isStar()) {
                return null;
            }
            if (item.getResourcePath() == null) {
                throw DataverseFault.query("$select supports properties only.");
            }
            cols.add(attribute(e, item.getResourcePath().getUriResourceParts()).logicalName());
        }
        return cols;
    }

    /** The property names of the $select, in the order given, for the context URL. */
    static List<String> selectedNames(UriInfoResource uri) {
        return selectedNames(uri.getSelectOption());
    }

    static List<String> selectedNames(SelectOption select) {
        List<String> names = new ArrayList<>();
        if (select != null) {
            for (SelectItem item : select.getSelectItems()) {
                if (item.isStar()) {
                    return List.of();
                }
                List<UriResource> parts = item.getResourcePath().getUriResourceParts();
                names.add(parts.get(parts.size() - 1).getSegmentValue());
            }
        }
        return names;
    }

    private static AttributeMetadata attribute(EntityMetadata e, List<UriResource> parts) {
        if (parts.size() != 1 || !(parts.get(0) instanceof UriResourcePrimitiveProperty p)) {
            throw DataverseFault.query("Only properties of '" + e.logicalName() + "' can be used here.");
        }
        String name = p.getProperty().getName();
        return e.byWebApiName(name).orElseThrow(() -> DataverseFault.query(
                "Could not find a property named '" + name + "' on type 'Microsoft.Dynamics.CRM." + e.logicalName() + "'."));
    }
}
