package dev.dve.engine.bulkdelete;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.payload.PayloadReader;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.QueryExpression;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Web API's {@code Microsoft.Dynamics.CRM.QueryExpression} JSON (as a BulkDelete {@code QuerySet} carries it)
 * into the query model: {@code EntityName}, {@code Criteria} with {@code FilterOperator} ({@code And}/{@code Or}),
 * {@code Conditions} ({@code AttributeName}, {@code Operator}, {@code Values} of {@code {Value, Type}}) and nested
 * {@code Filters}. Values are converted by the attribute's type; relative dates ({@code OlderThanXDays} …) are computed
 * from the time given, so a job reads its queries again when it runs. What the emulator cannot honour —
 * {@code LinkEntities}, a condition on another entity, an operator it does not know — is refused with a query fault
 * (400), never ignored.
 */
public final class QueryExpressionReader {
    private static final Map<String, ConditionOperator> BASIC = Map.ofEntries(
            Map.entry("Equal", ConditionOperator.EQUAL), Map.entry("NotEqual", ConditionOperator.NOT_EQUAL),
            Map.entry("GreaterThan", ConditionOperator.GREATER_THAN), Map.entry("GreaterEqual", ConditionOperator.GREATER_EQUAL),
            Map.entry("LessThan", ConditionOperator.LESS_THAN), Map.entry("LessEqual", ConditionOperator.LESS_EQUAL),
            Map.entry("Like", ConditionOperator.LIKE), Map.entry("NotLike", ConditionOperator.NOT_LIKE),
            Map.entry("BeginsWith", ConditionOperator.BEGINS_WITH), Map.entry("DoesNotBeginWith", ConditionOperator.NOT_BEGIN_WITH),
            Map.entry("EndsWith", ConditionOperator.ENDS_WITH), Map.entry("DoesNotEndWith", ConditionOperator.NOT_END_WITH),
            Map.entry("In", ConditionOperator.IN), Map.entry("NotIn", ConditionOperator.NOT_IN),
            Map.entry("Between", ConditionOperator.BETWEEN), Map.entry("NotBetween", ConditionOperator.NOT_BETWEEN),
            Map.entry("Null", ConditionOperator.NULL), Map.entry("NotNull", ConditionOperator.NOT_NULL));
    /** The SDK's ConditionOperator numbers of the operators read here, for clients that send the number. */
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("Equal", 0), Map.entry("NotEqual", 1), Map.entry("GreaterThan", 2), Map.entry("LessThan", 3),
            Map.entry("GreaterEqual", 4), Map.entry("LessEqual", 5), Map.entry("Like", 6), Map.entry("NotLike", 7),
            Map.entry("In", 8), Map.entry("NotIn", 9), Map.entry("Between", 10), Map.entry("NotBetween", 11),
            Map.entry("Null", 12), Map.entry("NotNull", 13), Map.entry("OlderThanXMonths", 53), Map.entry("BeginsWith", 54),
            Map.entry("DoesNotBeginWith", 55), Map.entry("EndsWith", 56), Map.entry("DoesNotEndWith", 57),
            Map.entry("OlderThanXYears", 82), Map.entry("OlderThanXWeeks", 83), Map.entry("OlderThanXDays", 84),
            Map.entry("OlderThanXHours", 85), Map.entry("OlderThanXMinutes", 86));
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private final MetadataCatalog catalog;

    /** The operators read here with the SDK's numbers, for $metadata's ConditionOperator. */
    public static Map<String, Integer> operatorNumbers() {
        return NUMBERS;
    }

    public QueryExpressionReader(MetadataCatalog catalog) {
        this.catalog = catalog;
    }

    /** Every query of a QuerySet, relative dates computed for {@code now}. */
    public List<QueryExpression> readAll(JsonNode querySet, Instant now) {
        if (querySet == null || !querySet.isArray() || querySet.isEmpty()) {
            throw fault("QuerySet must be a non-empty collection of Microsoft.Dynamics.CRM.QueryExpression.");
        }
        List<QueryExpression> out = new ArrayList<>();
        for (JsonNode q : querySet) {
            out.add(read(q, now));
        }
        return out;
    }

    public QueryExpression read(JsonNode query, Instant now) {
        if (!query.isObject()) {
            throw fault("Each entry of QuerySet must be a Microsoft.Dynamics.CRM.QueryExpression object.");
        }
        JsonNode name = query.path("EntityName");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw fault("The QueryExpression has no EntityName.");
        }
        EntityMetadata e = catalog.entity(name.asText()).orElseThrow(() -> fault("The entity with a name = '" + name.asText()
                + "' with namemapping = 'Logical' was not found in the MetadataCache."));
        JsonNode links = query.path("LinkEntities");
        if (links.isArray() && !links.isEmpty()) {
            throw fault("LinkEntities in a bulk delete query are not supported by the emulator.");
        }
        QueryExpression q = new QueryExpression(e.logicalName());
        JsonNode criteria = query.path("Criteria");
        if (!criteria.isMissingNode() && !criteria.isNull()) {
            q.criteria(filter(e, criteria, now));
        }
        return q;
    }

    private FilterExpression filter(EntityMetadata e, JsonNode f, Instant now) {
        if (!f.isObject()) {
            throw fault("A FilterExpression must be an object.");
        }
        FilterExpression out = new FilterExpression(logical(f.path("FilterOperator")), List.of());
        for (JsonNode c : list(f, "Conditions")) {
            out.add(condition(e, c, now));
        }
        for (JsonNode child : list(f, "Filters")) {
            out.add(filter(e, child, now));
        }
        return out;
    }

    private static LogicalOperator logical(JsonNode op) {
        if (op.isMissingNode() || op.isNull()) {
            return LogicalOperator.AND;
        }
        String v = op.asText();
        return switch (v) {
            case "And", "0" -> LogicalOperator.AND;
            case "Or", "1" -> LogicalOperator.OR;
            default -> throw fault("The FilterOperator '" + v + "' is not valid; use 'And' or 'Or'.");
        };
    }

    private static Iterable<JsonNode> list(JsonNode parent, String property) {
        JsonNode n = parent.path(property);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw fault(property + " must be a collection.");
        }
        return n;
    }

    private Criterion condition(EntityMetadata e, JsonNode c, Instant now) {
        if (!c.isObject()) {
            throw fault("A ConditionExpression must be an object.");
        }
        JsonNode entityName = c.path("EntityName");
        if (entityName.isTextual() && !entityName.asText().isEmpty() && !entityName.asText().equals(e.logicalName())) {
            throw fault("A condition on another entity ('" + entityName.asText() + "') is not supported in a bulk delete query.");
        }
        JsonNode attributeName = c.path("AttributeName");
        if (!attributeName.isTextual()) {
            throw fault("The ConditionExpression has no AttributeName.");
        }
        AttributeMetadata a = e.clientAttribute(attributeName.asText().toLowerCase(Locale.ROOT)).orElseThrow(() -> fault("'" + e.logicalName()
                + "' entity doesn't contain attribute with Name = '" + attributeName.asText() + "'."));
        String op = operator(c.path("Operator"));
        List<String> values = new ArrayList<>();
        for (JsonNode v : list(c, "Values")) {
            JsonNode value = v.isObject() ? v.path("Value") : v;
            if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
                throw fault("Each entry of Values must be a Microsoft.Dynamics.CRM.Object with a Value.");
            }
            values.add(value.asText());
        }
        ConditionOperator basic = BASIC.get(op);
        if (basic != null) {
            return basic(a, op, basic, values);
        }
        if (op.startsWith("OlderThanX")) {
            return olderThan(a, op, values, now);
        }
        throw fault("The condition operator '" + op + "' is not supported in a bulk delete query by the emulator.");
    }

    /** The operator's name: the enum member's name, or its number. */
    private static String operator(JsonNode op) {
        if (op.isMissingNode() || op.isNull()) {
            throw fault("The ConditionExpression has no Operator.");
        }
        String v = op.asText();
        if (op.isIntegralNumber() || v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
            int n = Integer.parseInt(v);
            return NUMBERS.entrySet().stream().filter(x -> x.getValue() == n).map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> fault("The condition operator " + v + " is not supported in a bulk delete query by the emulator."));
        }
        return v;
    }

    private static Criterion basic(AttributeMetadata a, String op, ConditionOperator operator, List<String> values) {
        int expected = switch (operator) {
            case NULL, NOT_NULL -> 0;
            case BETWEEN, NOT_BETWEEN -> 2;
            case IN, NOT_IN -> -1;
            default -> 1;
        };
        if (expected == -1 ? values.isEmpty() : values.size() != expected) {
            throw fault("The condition operator '" + op + "' on '" + a.logicalName() + "' takes "
                    + (expected == -1 ? "at least one value" : expected + " value(s)") + "; " + values.size() + " given.");
        }
        List<Object> typed = new ArrayList<>();
        for (String v : values) {
            typed.add(typed(a, v, operator));
        }
        return new Condition(a.logicalName(), operator, typed);
    }

    private static Criterion olderThan(AttributeMetadata a, String op, List<String> values, Instant now) {
        if (a.type() != dev.dve.metadata.AttributeType.DATETIME) {
            throw fault("The condition operator '" + op + "' applies to date and time columns; '" + a.logicalName() + "' is not one.");
        }
        if (values.size() != 1) {
            throw fault("The condition operator '" + op + "' takes one value.");
        }
        long x;
        try {
            x = Long.parseLong(values.get(0).trim());
        } catch (NumberFormatException e) {
            throw fault("The value of " + op + " must be a whole number; '" + values.get(0) + "' is not.");
        }
        if (x < 0) {
            throw fault("The value of " + op + " must not be negative.");
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        Instant bound;
        try {
            // as the $filter functions compute it: minutes and hours from now, longer units from the start of a day (UTC)
            bound = switch (op) {
                case "OlderThanXMinutes" -> now.minus(x, ChronoUnit.MINUTES);
                case "OlderThanXHours" -> now.minus(x, ChronoUnit.HOURS);
                case "OlderThanXDays" -> day(today.minusDays(x));
                case "OlderThanXWeeks" -> day(today.minusWeeks(x));
                case "OlderThanXMonths" -> day(today.minusMonths(x));
                case "OlderThanXYears" -> day(today.minusYears(x));
                default -> throw fault("The condition operator '" + op + "' is not supported in a bulk delete query by the emulator.");
            };
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw fault("The value of " + op + " is out of range.");
        }
        if (bound.isBefore(EARLIEST)) {
            throw fault("The value of " + op + " is out of range.");
        }
        return Condition.of(a.logicalName(), ConditionOperator.LESS_THAN, bound);
    }

    private static Instant day(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Object typed(AttributeMetadata a, String v, ConditionOperator op) {
        if (a.type() == dev.dve.metadata.AttributeType.MULTISELECTPICKLIST) {
            throw fault("Conditions on the multi-select choice column '" + a.logicalName() + "' are not supported in a bulk delete query by the emulator.");
        }
        return dev.dve.query.ConditionValues.typed(a, v, op);
    }

    private static DataverseFault fault(String message) {
        return DataverseFault.query(message);
    }
}
