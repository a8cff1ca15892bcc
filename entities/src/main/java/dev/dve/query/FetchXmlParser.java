package dev.dve.query;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.payload.PayloadReader;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads FetchXML (what Advanced Find and saved views store) into the query model with a real XML parser:
 * {@code fetch} (top, count, page, paging-cookie, distinct, returntotalrecordcount), {@code entity},
 * {@code attribute}/{@code all-attributes}, {@code order}, nested {@code filter}s, {@code condition}s with their
 * operators, and {@code link-entity} (inner, outer). Relative-date and user operators are handed to a resolver that
 * knows the clock and the caller.
 */
public final class FetchXmlParser {
    /** Turns a relative operator ({@code LastXDays}, {@code EqualUserId} …) into a criterion. */
    @FunctionalInterface
    public interface FunctionResolver {
        Criterion resolve(String function, EntityMetadata entity, AttributeMetadata attribute, List<String> values);

        /** The organization's fiscal calendar start, for fiscal date groupings. */
        default java.time.MonthDay fiscalStart() {
            return java.time.MonthDay.of(1, 1);
        }
    }

    /** The parsed query and the paging the fetch element asked for. */
    public record Fetch(QueryExpression query, Integer count, int page, String pagingCookie, boolean totalRecordCount, boolean aggregate,
                        Map<String, String> groupAliases) {
    }

    private static final Map<String, ConditionOperator> BASIC = Map.ofEntries(
            Map.entry("eq", ConditionOperator.EQUAL), Map.entry("ne", ConditionOperator.NOT_EQUAL), Map.entry("neq", ConditionOperator.NOT_EQUAL),
            Map.entry("gt", ConditionOperator.GREATER_THAN), Map.entry("ge", ConditionOperator.GREATER_EQUAL),
            Map.entry("lt", ConditionOperator.LESS_THAN), Map.entry("le", ConditionOperator.LESS_EQUAL),
            Map.entry("like", ConditionOperator.LIKE), Map.entry("not-like", ConditionOperator.NOT_LIKE),
            Map.entry("begins-with", ConditionOperator.BEGINS_WITH), Map.entry("not-begin-with", ConditionOperator.NOT_BEGIN_WITH),
            Map.entry("ends-with", ConditionOperator.ENDS_WITH), Map.entry("not-end-with", ConditionOperator.NOT_END_WITH),
            Map.entry("in", ConditionOperator.IN), Map.entry("not-in", ConditionOperator.NOT_IN),
            Map.entry("between", ConditionOperator.BETWEEN), Map.entry("not-between", ConditionOperator.NOT_BETWEEN),
            Map.entry("null", ConditionOperator.NULL), Map.entry("not-null", ConditionOperator.NOT_NULL));
    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("eq-userid", "EqualUserId"), Map.entry("ne-userid", "NotEqualUserId"),
            Map.entry("eq-businessid", "EqualBusinessId"), Map.entry("ne-businessid", "NotEqualBusinessId"),
            Map.entry("eq-userteams", "EqualUserTeams"), Map.entry("eq-useroruserteams", "EqualUserOrUserTeams"),
            Map.entry("eq-useroruserhierarchy", "EqualUserOrUserHierarchy"), Map.entry("eq-useroruserhierarchyandteams", "EqualUserOrUserHierarchyAndTeams"),
            Map.entry("this-fiscal-year", "ThisFiscalYear"), Map.entry("this-fiscal-period", "ThisFiscalPeriod"),
            Map.entry("next-fiscal-year", "NextFiscalYear"), Map.entry("next-fiscal-period", "NextFiscalPeriod"),
            Map.entry("last-fiscal-year", "LastFiscalYear"), Map.entry("last-fiscal-period", "LastFiscalPeriod"),
            Map.entry("last-x-fiscal-years", "LastXFiscalYears"), Map.entry("last-x-fiscal-periods", "LastXFiscalPeriods"),
            Map.entry("next-x-fiscal-years", "NextXFiscalYears"), Map.entry("next-x-fiscal-periods", "NextXFiscalPeriods"),
            Map.entry("in-fiscal-year", "InFiscalYear"), Map.entry("in-fiscal-period", "InFiscalPeriod"),
            Map.entry("in-fiscal-period-and-year", "InFiscalPeriodAndYear"),
            Map.entry("in-or-before-fiscal-period-and-year", "InOrBeforeFiscalPeriodAndYear"),
            Map.entry("in-or-after-fiscal-period-and-year", "InOrAfterFiscalPeriodAndYear"),
            Map.entry("contain-values", "ContainValues"), Map.entry("not-contain-values", "DoesNotContainValues"),
            Map.entry("eq-userlanguage", "EqualUserLanguage"),
            Map.entry("under", "Under"), Map.entry("eq-or-under", "UnderOrEqual"), Map.entry("not-under", "NotUnder"),
            Map.entry("above", "Above"), Map.entry("eq-or-above", "AboveOrEqual"),
            Map.entry("today", "Today"), Map.entry("yesterday", "Yesterday"), Map.entry("tomorrow", "Tomorrow"),
            Map.entry("last-seven-days", "Last7Days"), Map.entry("next-seven-days", "Next7Days"),
            Map.entry("last-week", "LastWeek"), Map.entry("this-week", "ThisWeek"), Map.entry("next-week", "NextWeek"),
            Map.entry("last-month", "LastMonth"), Map.entry("this-month", "ThisMonth"), Map.entry("next-month", "NextMonth"),
            Map.entry("last-year", "LastYear"), Map.entry("this-year", "ThisYear"), Map.entry("next-year", "NextYear"),
            Map.entry("on", "On"), Map.entry("on-or-before", "OnOrBefore"), Map.entry("on-or-after", "OnOrAfter"),
            Map.entry("last-x-hours", "LastXHours"), Map.entry("next-x-hours", "NextXHours"),
            Map.entry("last-x-days", "LastXDays"), Map.entry("next-x-days", "NextXDays"),
            Map.entry("last-x-weeks", "LastXWeeks"), Map.entry("next-x-weeks", "NextXWeeks"),
            Map.entry("last-x-months", "LastXMonths"), Map.entry("next-x-months", "NextXMonths"),
            Map.entry("last-x-years", "LastXYears"), Map.entry("next-x-years", "NextXYears"),
            Map.entry("olderthan-x-minutes", "OlderThanXMinutes"), Map.entry("olderthan-x-hours", "OlderThanXHours"),
            Map.entry("olderthan-x-days", "OlderThanXDays"), Map.entry("olderthan-x-weeks", "OlderThanXWeeks"),
            Map.entry("olderthan-x-months", "OlderThanXMonths"), Map.entry("olderthan-x-years", "OlderThanXYears"));

    private final MetadataCatalog catalog;
    private final FunctionResolver functions;
    /** The link-entities of the query being read, by alias (for conditions with entityname). */
    private final Map<String, EntityMetadata> aliases = new java.util.HashMap<>();
    /** An aggregate query's groups (attribute names, "alias.column" for linked ones, dategroup aliases) and aggregates. */
    private final List<String> groups = new ArrayList<>();
    private final Map<String, String> groupAliases = new java.util.LinkedHashMap<>();
    private final Map<String, Aggregation.DateGroup> dateGroups = new java.util.LinkedHashMap<>();
    private final List<Aggregation.Aggregate> aggregates = new ArrayList<>();
    private boolean aggregating;
    /** Orders inside link-entities: applied after the entity's own orders, in document order. */
    private final List<Order> linkOrders = new ArrayList<>();

    public FetchXmlParser(MetadataCatalog catalog, FunctionResolver functions) {
        this.catalog = catalog;
        this.functions = functions;
    }

    public Fetch parse(String fetchXml) {
        Element fetch;
        try {
            fetch = dev.dve.xml.SafeXml.parse(fetchXml, false).getDocumentElement();
        } catch (Exception e) {
            throw fault("The FetchXML is not valid XML: " + e.getMessage());
        }
        if (!fetch.getTagName().equals("fetch")) {
            throw fault("The root element of FetchXML must be 'fetch'.");
        }
        FetchXmlSchema.validate(fetchXml);
        if (fetch.getElementsByTagName("link-entity").getLength() > dev.dve.store.QueryTranslator.MAX_LINK_ENTITIES) {
            throw new DataverseFault(dev.dve.fault.ErrorCode.LINK_ENTITY_LIMIT, "Number of link entities in query exceeded maximum limit.");
        }
        Element entity = single(fetch, "entity");
        EntityMetadata e = entityNamed(entity.getAttribute("name"));
        aliases.clear();
        linkOrders.clear();
        collectAliases(entity);
        QueryExpression q = new QueryExpression(e.logicalName());
        boolean aggregate = bool(fetch, "aggregate");
        q.distinct(bool(fetch, "distinct"));
        List<String> columns = new ArrayList<>();
        groups.clear();
        groupAliases.clear();
        dateGroups.clear();
        aggregates.clear();
        aggregating = aggregate;
        List<Order> aggregateOrders = new ArrayList<>();
        boolean all = false;
        for (Element c : children(entity)) {
            switch (c.getTagName()) {
                case "attribute" -> {
                    String name = attribute(e, c.getAttribute("name")).logicalName();
                    if (aggregate) {
                        aggregateAttribute(e, "", c);
                    } else {
                        columns.add(name);
                    }
                }
                case "all-attributes" -> all = true;
                case "order" -> {
                    if (aggregate) {
                        if (c.getAttribute("alias").isEmpty() || c.hasAttribute("attribute")) {
                            throw fault("An attribute cannot be specified for an order clause for an aggregate Query. Use an alias.");
                        }
                        aggregateOrders.add(new Order(alias(c, "alias"), bool(c, "descending")));
                    } else if (!c.getAttribute("alias").isEmpty()) {
                        throw fault("An order by alias applies to aggregate queries only; order by an attribute.");
                    } else if (!c.getAttribute("entityname").isEmpty()) {
                        EntityMetadata linked = aliases.get(c.getAttribute("entityname"));
                        if (linked == null) {
                            throw fault("No link-entity has the alias or name '" + c.getAttribute("entityname") + "'.");
                        }
                        q.orderBy(c.getAttribute("entityname") + "." + attribute(linked, c.getAttribute("attribute")).logicalName(), bool(c, "descending"));
                    } else {
                        q.orderBy(attribute(e, c.getAttribute("attribute")).logicalName(), bool(c, "descending"));
                    }
                }
                case "filter" -> q.where(filter(e, c));
                case "link-entity" -> {
                    String type = c.getAttribute("link-type");
                    if (type.equals("exists") || type.equals("in")) {
                        q.where(semiJoin(e, c, type));
                    } else {
                        q.link(link(e, c));
                    }
                }
                default -> throw fault("'" + c.getTagName() + "' is not a valid child of entity.");
            }
        }
        q.columns(all || columns.isEmpty() ? null : columns);
        linkOrders.forEach(o -> q.orderBy(o.attribute(), o.descending()));
        if (aggregate) {
            if (groups.isEmpty() && aggregates.isEmpty()) {
                throw fault("An aggregate query needs attributes with aggregate= or groupby='true'.");
            }
            Integer limit = integer(fetch, "aggregatelimit");
            if (limit != null && limit > Aggregation.RECORD_LIMIT) {
                throw fault("The aggregatelimit can lower the limit of " + Aggregation.RECORD_LIMIT + " rows, not raise it.");
            }
            q.aggregation(new Aggregation(groups, aggregates, dateGroups, limit == null ? Aggregation.RECORD_LIMIT : limit));
            for (Order o : aggregateOrders) {
                // group columns come back under their attribute's name; dategroups and aggregates under their alias
                String column = groupAliases.entrySet().stream().filter(g -> g.getValue().equals(o.attribute())).map(Map.Entry::getKey)
                        .findFirst().orElse(o.attribute());
                boolean known = groups.contains(column) || aggregates.stream().anyMatch(a -> a.alias().equals(column));
                if (!known) {
                    throw fault("The order alias '" + o.attribute() + "' names no attribute of the aggregate query.");
                }
                q.orderBy(column, o.descending());
            }
        }
        Integer top = integer(fetch, "top");
        Integer count = integer(fetch, "count");
        Integer page = integer(fetch, "page");
        if (top != null && (count != null || page != null)) {
            throw fault("The top attribute can't be specified with paging attribute page or count.");
        }
        if (count != null && count > 5000) {
            throw fault("The count attribute can't be greater than 5000.");
        }
        q.top(top);
        return new Fetch(q, count, page == null ? 1 : page, fetch.getAttribute("paging-cookie").isEmpty() ? null : fetch.getAttribute("paging-cookie"),
                bool(fetch, "returntotalrecordcount"), aggregate, new java.util.LinkedHashMap<>(groupAliases));
    }

    private void collectAliases(Element parent) {
        for (Element c : children(parent)) {
            if (c.getTagName().equals("link-entity")) {
                String alias = c.getAttribute("alias").isEmpty() ? c.getAttribute("name") : alias(c, "alias");
                aliases.put(alias, entityNamed(c.getAttribute("name")));
                collectAliases(c);
            } else if (c.getTagName().equals("filter")) {
                collectAliases(c);
            }
        }
    }

    /** A link-entity of type exists/in/any/not any/all/not all: a condition on the parent, no join, no columns. */
    private Criterion semiJoin(EntityMetadata parent, Element l, String type) {
        EntityMetadata e = entityNamed(l.getAttribute("name"));
        String from = attribute(e, l.getAttribute("from")).logicalName();
        String to = attribute(parent, l.getAttribute("to")).logicalName();
        requireJoinable(e, from, parent, to);
        FilterExpression criteria = new FilterExpression(LogicalOperator.AND, List.of());
        for (Element c : children(l)) {
            switch (c.getTagName()) {
                case "filter" -> criteria.add(filter(e, c));
                case "attribute", "all-attributes" -> throw fault("A link-entity of type '" + type + "' returns no columns.");
                default -> throw fault("'" + c.getTagName() + "' is not supported in a link-entity of type '" + type + "'.");
            }
        }
        return switch (type) {
            case "exists", "in", "any" -> new SubqueryCondition(to, false, e.logicalName(), from, criteria);
            case "not any" -> new SubqueryCondition(to, true, e.logicalName(), from, criteria);
            case "not all" -> new SubqueryCondition(to, false, e.logicalName(), from, new Not(criteria));
            case "all" -> new FilterExpression(LogicalOperator.AND, List.of(
                    new SubqueryCondition(to, false, e.logicalName(), from, new FilterExpression(LogicalOperator.AND, List.of())),
                    new SubqueryCondition(to, true, e.logicalName(), from, new Not(criteria))));
            default -> throw fault("The link-type '" + type + "' is not supported.");
        };
    }

    private LinkEntity link(EntityMetadata parent, Element l) {
        EntityMetadata e = entityNamed(l.getAttribute("name"));
        String from = l.getAttribute("from");
        String to = l.getAttribute("to");
        requireJoinable(e, from, parent, to);
        String type = l.getAttribute("link-type").isEmpty() ? "inner" : l.getAttribute("link-type");
        if (!type.equals("inner") && !type.equals("outer") && !type.equals("matchfirstrowusingcrossapply")) {
            throw fault("The link-type '" + type + "' is not supported by the emulator.");
        }
        String alias = l.getAttribute("alias").isEmpty() ? null : alias(l, "alias");
        List<String> columns = new ArrayList<>();
        FilterExpression criteria = new FilterExpression(LogicalOperator.AND, List.of());
        List<LinkEntity> nested = new ArrayList<>();
        for (Element c : children(l)) {
            switch (c.getTagName()) {
                case "attribute" -> {
                    if (aggregating) {
                        aggregateAttribute(e, (alias != null ? alias : e.logicalName()) + ".", c);
                    } else {
                        columns.add(attribute(e, c.getAttribute("name")).logicalName());
                    }
                }
                case "all-attributes" -> e.clientAttributes().forEach(a -> columns.add(a.logicalName()));
                case "filter" -> criteria.add(filter(e, c));
                case "link-entity" -> nested.add(link(e, c));
                case "order" -> {
                    if (!c.getAttribute("alias").isEmpty()) {
                        throw fault("An order by alias applies to aggregate queries only; order by an attribute.");
                    }
                    linkOrders.add(new Order((alias != null ? alias : e.logicalName()) + "." + attribute(e, c.getAttribute("attribute")).logicalName(),
                            bool(c, "descending")));
                }
                default -> throw fault("'" + c.getTagName() + "' is not a valid child of link-entity.");
            }
        }
        return new LinkEntity(e.logicalName(), from, to, alias, type.equals("outer"), columns, criteria, nested,
                type.equals("matchfirstrowusingcrossapply"));
    }

    /**
     * An attribute of an aggregate query: a group ({@code groupby='true'}, optionally by a part of a date) or an aggregate.
     * {@code prefix} is "" for the entity's own columns and "alias." for a link-entity's.
     */
    private void aggregateAttribute(EntityMetadata e, String prefix, Element c) {
        AttributeMetadata a = attribute(e, c.getAttribute("name"));
        String name = prefix + a.logicalName();
        if (c.getAttribute("alias").isEmpty()) {
            throw fault("An attribute of an aggregate query needs an alias.");
        }
        String alias = alias(c, "alias");
        if (!c.getAttribute("dategrouping").isEmpty()) {
            if (!bool(c, "groupby") || a.type() != dev.dve.metadata.AttributeType.DATETIME) {
                throw fault("dategrouping applies to a date and time attribute with groupby='true'.");
            }
            Aggregation.DatePart part = switch (c.getAttribute("dategrouping")) {
                case "year" -> Aggregation.DatePart.YEAR;
                case "quarter" -> Aggregation.DatePart.QUARTER;
                case "month" -> Aggregation.DatePart.MONTH;
                case "week" -> Aggregation.DatePart.WEEK;
                case "day" -> Aggregation.DatePart.DAY;
                case "fiscal-year" -> Aggregation.DatePart.FISCAL_YEAR;
                case "fiscal-period" -> Aggregation.DatePart.FISCAL_PERIOD;
                default -> throw fault("The dategrouping '" + c.getAttribute("dategrouping") + "' is not valid.");
            };
            groups.add(alias);
            boolean fiscal = part == Aggregation.DatePart.FISCAL_YEAR || part == Aggregation.DatePart.FISCAL_PERIOD;
            dateGroups.put(alias, new Aggregation.DateGroup(name, part, fiscal ? functions.fiscalStart() : null));
            return;
        }
        if (bool(c, "groupby")) {
            groups.add(name);
            groupAliases.put(name, alias);
            return;
        }
        Aggregation.Function f = switch (c.getAttribute("aggregate")) {
            case "count" -> Aggregation.Function.COUNT;
            case "countcolumn" -> bool(c, "distinct") ? Aggregation.Function.COUNT_DISTINCT : Aggregation.Function.COUNT_COLUMN;
            case "sum" -> Aggregation.Function.SUM;
            case "avg" -> Aggregation.Function.AVG;
            case "min" -> Aggregation.Function.MIN;
            case "max" -> Aggregation.Function.MAX;
            default -> throw fault("'" + c.getAttribute("aggregate") + "' is not a valid aggregate; an attribute of an aggregate query needs aggregate= or groupby='true'.");
        };
        aggregates.add(new Aggregation.Aggregate(f, f == Aggregation.Function.COUNT ? null : name, alias));
    }

    /** A link-entity joins columns of comparable types ({@code from} on the linked entity, {@code to} on its parent). */
    private void requireJoinable(EntityMetadata linked, String from, EntityMetadata parent, String to) {
        if (!attribute(linked, from).type().comparableWith(attribute(parent, to).type())) {
            throw fault("The link-entity '" + linked.logicalName() + "' cannot join '" + from + "' to '" + to + "': their types differ.");
        }
    }

    private FilterExpression filter(EntityMetadata e, Element f) {
        String type = f.getAttribute("type").isEmpty() ? "and" : f.getAttribute("type");
        if (!type.equals("and") && !type.equals("or")) {
            throw fault("The filter type '" + type + "' is not valid; use 'and' or 'or'.");
        }
        FilterExpression out = new FilterExpression(type.equals("and") ? LogicalOperator.AND : LogicalOperator.OR, List.of());
        for (Element c : children(f)) {
            switch (c.getTagName()) {
                case "condition" -> out.add(condition(e, c));
                case "filter" -> out.add(filter(e, c));
                case "link-entity" -> {
                    String linkType = c.getAttribute("link-type");
                    if (!List.of("any", "not any", "all", "not all").contains(linkType)) {
                        throw fault("A link-entity inside a filter needs link-type any, not any, all or not all.");
                    }
                    out.add(semiJoin(e, c, linkType));
                }
                default -> throw fault("'" + c.getTagName() + "' is not a valid child of filter.");
            }
        }
        return out;
    }

    private Criterion condition(EntityMetadata root, Element c) {
        String entityName = c.getAttribute("entityname");
        String name = c.getAttribute("attribute");
        // conditions on a link-entity's columns name its alias; the translator resolves "alias.attribute"
        AttributeMetadata a;
        String reference;
        if (!entityName.isEmpty()) {
            EntityMetadata linked = aliases.get(entityName);
            if (linked == null) {
                throw fault("No link-entity has the alias or name '" + entityName + "'.");
            }
            a = attribute(linked, name);
            reference = entityName + "." + a.logicalName();
        } else {
            a = attribute(root, name);
            reference = a.logicalName();
        }
        String op = c.getAttribute("operator");
        if (c.hasAttribute("valueof")) {
            return columnComparison(root, a, reference, op, c);
        }
        List<String> values = new ArrayList<>();
        if (c.hasAttribute("value")) {
            values.add(c.getAttribute("value"));
        }
        for (Element v : children(c)) {
            if (!v.getTagName().equals("value")) {
                throw fault("'" + v.getTagName() + "' is not a valid child of condition.");
            }
            values.add(v.getTextContent());
        }
        ConditionOperator basic = BASIC.get(op);
        if (basic != null) {
            List<Object> typed = new ArrayList<>();
            for (String v : values) {
                typed.add(ConditionValues.typed(a, v, basic));
            }
            if ((basic == ConditionOperator.NULL || basic == ConditionOperator.NOT_NULL) && !typed.isEmpty()) {
                throw fault("The operator '" + op + "' takes no value.");
            }
            if ((basic == ConditionOperator.IN || basic == ConditionOperator.NOT_IN) && typed.isEmpty()) {
                throw fault("The operator '" + op + "' needs at least one value.");
            }
            return new Condition(reference, basic, typed);
        }
        String function = FUNCTIONS.get(op);
        if (function == null) {
            throw fault("'" + op + "' is not a valid condition operator.");
        }
        if (!entityName.isEmpty()) {
            throw fault("The operator '" + op + "' with entityname is not supported by the emulator; put the condition inside the link-entity.");
        }
        return functions.resolve(function, root, a, values);
    }

    /** What Dataverse accepts as an alias: a letter or underscore, then letters, digits and underscores. */
    private static final java.util.regex.Pattern ALIAS = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");

    /**
     * A caller-given alias (link-entity, aggregate, dategrouping, order), checked as Dataverse checks it. It names
     * parts of the query model and the answer's properties; it never reaches SQL, which uses generated aliases.
     */
    private static String alias(Element e, String attr) {
        String v = e.getAttribute(attr);
        if (!ALIAS.matcher(v).matches()) {
            throw fault("Invalid alias '" + v + "' on " + e.getTagName() + ": an alias starts with a letter or an underscore and contains only"
                    + " letters, digits and underscores.");
        }
        return v;
    }

    private EntityMetadata entityNamed(String name) {
        return catalog.entity(name).orElseThrow(() -> fault("The entity with a name = '" + name + "' with namemapping = 'Logical' was not found in the MetadataCache."));
    }

    private static AttributeMetadata attribute(EntityMetadata e, String name) {
        return e.clientAttribute(name).orElseThrow(() -> fault("'" + e.logicalName() + "' entity doesn't contain attribute with Name = '" + name + "'."));
    }

    private static Element single(Element parent, String tag) {
        List<Element> c = children(parent).stream().filter(x -> x.getTagName().equals(tag)).toList();
        if (c.size() != 1) {
            throw fault("FetchXML needs exactly one '" + tag + "' element.");
        }
        return c.get(0);
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }

    private static boolean bool(Element e, String attr) {
        String v = e.getAttribute(attr);
        return v.equalsIgnoreCase("true") || v.equals("1");
    }

    private static Integer integer(Element e, String attr) {
        String v = e.getAttribute(attr);
        if (v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException ex) {
            throw fault("The '" + attr + "' attribute must be a positive whole number.");
        }
    }

    /** {@code <condition attribute='a' operator='gt' valueof='b'/>}: compares two columns of the same row; valueof may name "alias.attribute". */
    private Criterion columnComparison(EntityMetadata root, AttributeMetadata a, String reference, String op, Element c) {
        ConditionOperator operator = BASIC.get(op);
        if (operator == null || !List.of(ConditionOperator.EQUAL, ConditionOperator.NOT_EQUAL, ConditionOperator.GREATER_THAN,
                ConditionOperator.GREATER_EQUAL, ConditionOperator.LESS_THAN, ConditionOperator.LESS_EQUAL).contains(operator)) {
            throw fault("The operator '" + op + "' cannot be used with valueof; use eq, ne, gt, ge, lt or le.");
        }
        if (c.hasAttribute("value") || !children(c).isEmpty()) {
            throw fault("A condition with valueof takes no value.");
        }
        String other = c.getAttribute("valueof");
        AttributeMetadata b;
        String otherReference;
        int dot = other.indexOf('.');
        if (dot > 0) {
            EntityMetadata linked = aliases.get(other.substring(0, dot));
            if (linked == null) {
                throw fault("No link-entity has the alias or name '" + other.substring(0, dot) + "'.");
            }
            b = attribute(linked, other.substring(dot + 1));
            otherReference = other.substring(0, dot) + "." + b.logicalName();
        } else {
            b = attribute(c.getAttribute("entityname").isEmpty() ? root : aliases.get(c.getAttribute("entityname")), other);
            otherReference = c.getAttribute("entityname").isEmpty() ? b.logicalName() : c.getAttribute("entityname") + "." + b.logicalName();
        }
        if (!a.type().comparableWith(b.type()) || a.type() == dev.dve.metadata.AttributeType.MULTISELECTPICKLIST) {
            throw fault("The attributes '" + a.logicalName() + "' and '" + b.logicalName() + "' cannot be compared: their types differ.");
        }
        return new ColumnComparison(reference, operator, otherReference);
    }

    private static DataverseFault fault(String message) {
        return DataverseFault.query(message);
    }
}
