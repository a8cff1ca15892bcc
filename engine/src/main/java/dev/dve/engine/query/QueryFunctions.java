package dev.dve.engine.query;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.query.Condition;
import dev.dve.query.ConditionValues;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Dataverse query functions — {@code $filter}'s {@code Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=[…])},
 * {@code LastXDays}, {@code Today}, {@code EqualUserId} … and FetchXML's named operators ({@code last-x-days},
 * {@code eq-userid}, {@code in-fiscal-period} …) — turned into ordinary conditions computed from the emulator clock (in
 * UTC, the users' time zone here), the caller and the organization's fiscal calendar. The Web API declares them in its
 * CSDL from {@link #FUNCTIONS}; their meaning lives here, once, for every way in.
 */
public final class QueryFunctions {
    /** The parameters a function takes. */
    public enum Shape { NAME_ONLY, VALUE_INT, VALUE_STRING, VALUES, TWO_VALUES }

    /** Every function by name, with its parameters. */
    public static final Map<String, Shape> FUNCTIONS = new LinkedHashMap<>();

    static {
        for (String f : List.of("Today", "Yesterday", "Tomorrow", "Last7Days", "Next7Days", "LastWeek", "ThisWeek", "NextWeek",
                "LastMonth", "ThisMonth", "NextMonth", "LastYear", "ThisYear", "NextYear", "EqualUserId", "NotEqualUserId",
                "EqualBusinessId", "NotEqualBusinessId", "EqualUserTeams", "EqualUserOrUserTeams", "EqualUserOrUserHierarchy",
                "EqualUserOrUserHierarchyAndTeams")) {
            FUNCTIONS.put(f, Shape.NAME_ONLY);
        }
        for (String unit : List.of("Hours", "Days", "Weeks", "Months", "Years")) {
            FUNCTIONS.put("LastX" + unit, Shape.VALUE_INT);
            FUNCTIONS.put("NextX" + unit, Shape.VALUE_INT);
        }
        for (String unit : List.of("Minutes", "Hours", "Days", "Weeks", "Months", "Years")) {
            FUNCTIONS.put("OlderThanX" + unit, Shape.VALUE_INT);
        }
        for (String f : List.of("On", "OnOrBefore", "OnOrAfter", "Under", "UnderOrEqual", "NotUnder", "Above", "AboveOrEqual")) {
            FUNCTIONS.put(f, Shape.VALUE_STRING);
        }
        FUNCTIONS.put("EqualUserLanguage", Shape.NAME_ONLY);
        for (String f : List.of("In", "NotIn", "Between", "NotBetween", "ContainValues", "DoesNotContainValues")) {
            FUNCTIONS.put(f, Shape.VALUES);
        }
        for (String f : List.of("ThisFiscalYear", "ThisFiscalPeriod", "NextFiscalYear", "NextFiscalPeriod", "LastFiscalYear", "LastFiscalPeriod")) {
            FUNCTIONS.put(f, Shape.NAME_ONLY);
        }
        for (String f : List.of("LastXFiscalYears", "LastXFiscalPeriods", "NextXFiscalYears", "NextXFiscalPeriods", "InFiscalYear", "InFiscalPeriod")) {
            FUNCTIONS.put(f, Shape.VALUE_INT);
        }
        for (String f : List.of("InFiscalPeriodAndYear", "InOrBeforeFiscalPeriodAndYear", "InOrAfterFiscalPeriodAndYear")) {
            FUNCTIONS.put(f, Shape.TWO_VALUES);
        }
    }

    private QueryFunctions() {
    }

    /** FetchXML's named operators and fiscal date groupings, resolved for the caller and the organization. */
    public static dev.dve.query.FetchXmlParser.FunctionResolver fetchXmlResolver(Context ctx) {
        return new dev.dve.query.FetchXmlParser.FunctionResolver() {
            @Override
            public Criterion resolve(String function, EntityMetadata entity, AttributeMetadata attribute, List<String> values) {
                return condition(function, entity, attribute, values, ctx);
            }

            @Override
            public java.time.MonthDay fiscalStart() {
                return ctx.fiscal().get().start();
            }
        };
    }

    /** Who is asking and when: what the user- and date-relative functions are computed from. */
    public record Context(Instant now, UUID userId, UUID businessUnitId, java.util.function.Supplier<Set<UUID>> teams,
                          dev.dve.metadata.MetadataCatalog catalog, java.util.function.Supplier<dev.dve.query.FiscalCalendar> fiscal,
                          java.util.function.Supplier<Integer> language) {
    }

    /** The lookup of an entity's hierarchical relationship, as its metadata names it. */
    static String parentAttribute(EntityMetadata e) {
        return e.hierarchyAttribute().orElseThrow(() ->
                DataverseFault.query("The entity '" + e.logicalName() + "' has no hierarchical relationship."));
    }

    /** The condition a function stands for, on the column {@code a} of the table {@code e}. */
    public static Criterion condition(String function, EntityMetadata e, AttributeMetadata a, List<String> values, Context ctx) {
        String col = a.logicalName();
        ZonedDateTime now = ctx.now().atZone(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        switch (function) {
            case "In", "NotIn" -> {
                List<Object> typed = new ArrayList<>();
                for (String v : values) {
                    typed.add(ConditionValues.typed(a, v, ConditionOperator.EQUAL));
                }
                return new Condition(col, function.equals("In") ? ConditionOperator.IN : ConditionOperator.NOT_IN, typed);
            }
            case "Between", "NotBetween" -> {
                if (values.size() != 2) {
                    throw DataverseFault.query("The " + function + " function needs exactly two PropertyValues.");
                }
                return new Condition(col, function.equals("Between") ? ConditionOperator.BETWEEN : ConditionOperator.NOT_BETWEEN,
                        List.of(ConditionValues.typed(a, values.get(0), ConditionOperator.EQUAL),
                                ConditionValues.typed(a, values.get(1), ConditionOperator.EQUAL)));
            }
            case "ContainValues", "DoesNotContainValues" -> {
                if (a.type() != dev.dve.metadata.AttributeType.MULTISELECTPICKLIST) {
                    throw DataverseFault.query("The function " + function + " applies to multi-select choice columns; '" + a.logicalName() + "' is not one.");
                }
                Criterion any = containsAny(col, values);
                return function.equals("ContainValues") ? any : new FilterExpression(LogicalOperator.OR, List.of(
                        new dev.dve.query.Not(any), Condition.of(col, ConditionOperator.NULL)));
            }
            case "EqualUserLanguage" -> {
                // the caller's user interface language (usersettings.uilanguageid; the organization's when not set)
                if (!(a.type() == dev.dve.metadata.AttributeType.INTEGER || a.type() == dev.dve.metadata.AttributeType.PICKLIST)) {
                    throw DataverseFault.query("EqualUserLanguage applies to a whole number or choice column holding a language code, not '" + a.logicalName() + "'.");
                }
                return Condition.of(col, ConditionOperator.EQUAL, ctx.language().get());
            }
            case "EqualUserId" -> {
                requireId(function, a);
                return Condition.of(col, ConditionOperator.EQUAL, ctx.userId());
            }
            case "NotEqualUserId" -> {
                requireId(function, a);
                return Condition.of(col, ConditionOperator.NOT_EQUAL, ctx.userId());
            }
            case "EqualBusinessId" -> {
                requireId(function, a);
                return Condition.of(col, ConditionOperator.EQUAL, ctx.businessUnitId());
            }
            case "NotEqualBusinessId" -> {
                requireId(function, a);
                return Condition.of(col, ConditionOperator.NOT_EQUAL, ctx.businessUnitId());
            }
            case "Under", "UnderOrEqual", "NotUnder", "Above", "AboveOrEqual" -> {
                if (!a.logicalName().equals(e.primaryIdAttribute())) {
                    throw DataverseFault.query("The hierarchy function " + function + " applies to the primary key, not '" + a.logicalName() + "'.");
                }
                UUID id;
                try {
                    id = dev.dve.payload.PayloadReader.parseGuid(values.isEmpty() ? "" : values.get(0));
                } catch (IllegalArgumentException ex) {
                    throw DataverseFault.query("The PropertyValue of " + function + " must be a record id.");
                }
                parentAttribute(e);
                return new dev.dve.query.HierarchyCondition(col, e.logicalName(), id,
                        function.startsWith("Above") ? dev.dve.query.HierarchyCondition.Direction.ABOVE : dev.dve.query.HierarchyCondition.Direction.BELOW,
                        function.endsWith("OrEqual"), function.equals("NotUnder"));
            }
            case "EqualUserOrUserHierarchy", "EqualUserOrUserHierarchyAndTeams" -> {
                requireId(function, a);
                parentAttribute(ctx.catalog().require("systemuser"));
                // the caller and the users below them (the manager hierarchy), in the statement as a recursive subquery
                Criterion hierarchy = new dev.dve.query.HierarchyCondition(col, "systemuser", ctx.userId(),
                        dev.dve.query.HierarchyCondition.Direction.BELOW, true, false);
                if (!function.endsWith("AndTeams") || ctx.teams().get().isEmpty()) {
                    return hierarchy;
                }
                return new FilterExpression(LogicalOperator.OR, List.of(hierarchy,
                        new Condition(col, ConditionOperator.IN, new ArrayList<>(ctx.teams().get()))));
            }
            case "EqualUserTeams", "EqualUserOrUserTeams" -> {
                requireId(function, a);
                List<Object> ids = new ArrayList<>(ctx.teams().get());
                if (function.equals("EqualUserOrUserTeams")) {
                    ids.add(ctx.userId());
                }
                return ids.isEmpty() ? new dev.dve.query.Not(new FilterExpression(LogicalOperator.AND, List.of()))
                        : new Condition(col, ConditionOperator.IN, ids);
            }
            default -> {
                requireDate(function, a);
                try {
                    if (function.contains("Fiscal")) {
                        return fiscal(function, col, values, today, ctx.fiscal().get());
                    }
                    return dates(function, col, values, now, today);
                } catch (java.time.DateTimeException | ArithmeticException tooFar) {
                    // a count such as 2147483647 years reaches past any calendar date: the caller's value, not our bug
                    throw outOfRange(function);
                }
            }
        }
    }

    /** A multi-select value ("1,3,5") holds any of the given option values. */
    static Criterion containsAny(String col, List<String> values) {
        List<Criterion> any = new ArrayList<>();
        for (String v : values) {
            String n = v.trim();
            if (!n.matches("-?\\d+")) {
                throw DataverseFault.query("'" + v + "' is not an option value.");
            }
            any.add(Condition.of(col, ConditionOperator.EQUAL, n));
            any.add(Condition.of(col, ConditionOperator.LIKE, n + ",%"));
            any.add(Condition.of(col, ConditionOperator.LIKE, "%," + n));
            any.add(Condition.of(col, ConditionOperator.LIKE, "%," + n + ",%"));
        }
        return new FilterExpression(LogicalOperator.OR, any);
    }

    /** The user and business-unit functions compare a column with ids: a lookup, an owner or a unique identifier. */
    private static void requireId(String function, AttributeMetadata a) {
        if (!a.type().isLookup() && a.type() != dev.dve.metadata.AttributeType.UNIQUEIDENTIFIER) {
            throw DataverseFault.query("The function " + function + " applies to lookup and unique identifier columns; '" + a.logicalName() + "' is not one.");
        }
    }

    private static void requireDate(String function, AttributeMetadata a) {
        if (a.type() != dev.dve.metadata.AttributeType.DATETIME) {
            throw DataverseFault.query("The function " + function + " applies to date and time columns; '" + a.logicalName() + "' is not one.");
        }
    }

    /** [from, to) as a condition. */
    private static Criterion range(String col, Instant from, Instant to) {
        return new FilterExpression(LogicalOperator.AND, List.of(
                Condition.of(col, ConditionOperator.GREATER_EQUAL, within(from)), before(col, within(to))));
    }

    private static Criterion before(String col, Instant to) {
        return Condition.of(col, ConditionOperator.LESS_THAN, within(to));
    }

    private static Criterion notBefore(String col, Instant from) {
        return Condition.of(col, ConditionOperator.GREATER_EQUAL, within(from));
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Dataverse date-times run from year 1 to 9999; a function whose bound falls outside has a value out of range. */
    private static Instant within(Instant i) {
        if (i.isBefore(EARLIEST) || i.isAfter(LATEST)) {
            throw new java.time.DateTimeException("outside Dataverse's date range");
        }
        return i;
    }

    private static DataverseFault outOfRange(String function) {
        return DataverseFault.query("The PropertyValue of " + function + " is out of range: the dates it names fall outside 0001-01-01 to 9999-12-31.");
    }

    private static Instant day(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Criterion dates(String function, String col, List<String> values, ZonedDateTime now, LocalDate today) {
        long x = values.isEmpty() ? 0 : parseCount(function, values.get(0));
        LocalDate weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate yearStart = today.withDayOfYear(1);
        Instant n = now.toInstant();
        return switch (function) {
            case "Today" -> range(col, day(today), day(today.plusDays(1)));
            case "Yesterday" -> range(col, day(today.minusDays(1)), day(today));
            case "Tomorrow" -> range(col, day(today.plusDays(1)), day(today.plusDays(2)));
            case "Last7Days" -> range(col, day(today.minusDays(7)), n.plusMillis(1));
            case "Next7Days" -> range(col, n, day(today.plusDays(8)));
            case "LastWeek" -> range(col, day(weekStart.minusWeeks(1)), day(weekStart));
            case "ThisWeek" -> range(col, day(weekStart), day(weekStart.plusWeeks(1)));
            case "NextWeek" -> range(col, day(weekStart.plusWeeks(1)), day(weekStart.plusWeeks(2)));
            case "LastMonth" -> range(col, day(monthStart.minusMonths(1)), day(monthStart));
            case "ThisMonth" -> range(col, day(monthStart), day(monthStart.plusMonths(1)));
            case "NextMonth" -> range(col, day(monthStart.plusMonths(1)), day(monthStart.plusMonths(2)));
            case "LastYear" -> range(col, day(yearStart.minusYears(1)), day(yearStart));
            case "ThisYear" -> range(col, day(yearStart), day(yearStart.plusYears(1)));
            case "NextYear" -> range(col, day(yearStart.plusYears(1)), day(yearStart.plusYears(2)));
            case "LastXHours" -> range(col, now.minusHours(x).toInstant(), n.plusMillis(1));
            case "NextXHours" -> range(col, n, now.plusHours(x).toInstant());
            case "LastXDays" -> range(col, day(today.minusDays(x)), n.plusMillis(1));
            case "NextXDays" -> range(col, n, day(today.plusDays(x + 1)));
            case "LastXWeeks" -> range(col, day(today.minusWeeks(x)), n.plusMillis(1));
            case "NextXWeeks" -> range(col, n, day(today.plusWeeks(x).plusDays(1)));
            case "LastXMonths" -> range(col, day(today.minusMonths(x)), n.plusMillis(1));
            case "NextXMonths" -> range(col, n, day(today.plusMonths(x).plusDays(1)));
            case "LastXYears" -> range(col, day(today.minusYears(x)), n.plusMillis(1));
            case "NextXYears" -> range(col, n, day(today.plusYears(x).plusDays(1)));
            case "OlderThanXMinutes" -> before(col, n.minus(x, ChronoUnit.MINUTES));
            case "OlderThanXHours" -> before(col, n.minus(x, ChronoUnit.HOURS));
            case "OlderThanXDays" -> before(col, day(today.minusDays(x)));
            case "OlderThanXWeeks" -> before(col, day(today.minusWeeks(x)));
            case "OlderThanXMonths" -> before(col, day(today.minusMonths(x)));
            case "OlderThanXYears" -> before(col, day(today.minusYears(x)));
            case "On" -> range(col, day(date(values)), day(date(values).plusDays(1)));
            case "OnOrBefore" -> before(col, day(date(values).plusDays(1)));
            case "OnOrAfter" -> notBefore(col, day(date(values)));
            default -> throw DataverseFault.query("The function Microsoft.Dynamics.CRM." + function + " is not supported.");
        };
    }

    /**
     * Fiscal functions: the fiscal year starts on the organization's fiscal calendar start (month and day) and is
     * named by the calendar year it starts in; its periods are those of the organization's {@code fiscalperiodtype}
     * (see {@link dev.dve.query.FiscalCalendar}).
     */
    private static Criterion fiscal(String function, String col, List<String> values, LocalDate today, dev.dve.query.FiscalCalendar calendar) {
        int fy = calendar.yearOf(today);
        int period = calendar.periodOf(today);
        int periods = calendar.template().periods();
        LocalDate yearStart = calendar.yearStart(fy);
        long x = values.isEmpty() ? 0 : parseCount(function, values.get(0));
        return switch (function) {
            case "ThisFiscalYear" -> range(col, day(yearStart), day(calendar.yearStart(fy + 1L)));
            case "LastFiscalYear" -> range(col, day(calendar.yearStart(fy - 1L)), day(yearStart));
            case "NextFiscalYear" -> range(col, day(calendar.yearStart(fy + 1L)), day(calendar.yearStart(fy + 2L)));
            case "ThisFiscalPeriod" -> range(col, day(calendar.periodStart(fy, period)), day(calendar.periodStart(fy, period + 1L)));
            case "LastFiscalPeriod" -> range(col, day(calendar.periodStart(fy, period - 1L)), day(calendar.periodStart(fy, period)));
            case "NextFiscalPeriod" -> range(col, day(calendar.periodStart(fy, period + 1L)), day(calendar.periodStart(fy, period + 2L)));
            case "LastXFiscalYears" -> range(col, day(calendar.yearStart(Math.subtractExact(fy, x))), day(yearStart));
            case "NextXFiscalYears" -> range(col, day(calendar.yearStart(fy + 1L)), day(calendar.yearStart(Math.addExact(fy + 1L, x))));
            case "LastXFiscalPeriods" -> range(col, day(calendar.periodStart(fy, Math.subtractExact(period, x))), day(calendar.periodStart(fy, period)));
            case "NextXFiscalPeriods" -> range(col, day(calendar.periodStart(fy, period + 1L)), day(calendar.periodStart(fy, Math.addExact(period + 1L, x))));
            case "InFiscalYear" -> range(col, day(calendar.yearStart(x)), day(calendar.yearStart(x + 1)));
            case "InFiscalPeriod" -> {
                // the period in every fiscal year, as Dataverse matches it
                if (x < 1 || x > periods) {
                    throw DataverseFault.query("The fiscal period of " + function + " must be between 1 and " + periods
                            + " (the organization's fiscal periods per year).");
                }
                yield new Condition(col, ConditionOperator.IN_FISCAL_PERIOD, List.of((int) x, calendar));
            }
            case "InFiscalPeriodAndYear", "InOrBeforeFiscalPeriodAndYear", "InOrAfterFiscalPeriodAndYear" -> {
                if (values.size() != 2) {
                    throw DataverseFault.query("The function " + function + " needs PropertyValue1 (period) and PropertyValue2 (year).");
                }
                long p = parseCount(function, values.get(0));
                long y = parseCount(function, values.get(1));
                if (p < 1 || p > periods) {
                    throw DataverseFault.query("The fiscal period of " + function + " must be between 1 and " + periods
                            + " (the organization's fiscal periods per year).");
                }
                LocalDate s = calendar.periodStart(y, p);
                LocalDate end = calendar.periodStart(y, p + 1);
                yield switch (function) {
                    case "InFiscalPeriodAndYear" -> range(col, day(s), day(end));
                    case "InOrBeforeFiscalPeriodAndYear" -> before(col, day(end));
                    default -> notBefore(col, day(s));
                };
            }
            default -> throw DataverseFault.query("The function Microsoft.Dynamics.CRM." + function + " is not supported.");
        };
    }

    private static long parseCount(String function, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            if (function.equals("On") || function.equals("OnOrBefore") || function.equals("OnOrAfter")) {
                return 0;
            }
            throw DataverseFault.query("The PropertyValue of " + function + " must be a whole number.");
        }
    }

    private static LocalDate date(List<String> values) {
        try {
            return LocalDate.parse(values.get(0).trim().substring(0, 10));
        } catch (RuntimeException e) {
            throw DataverseFault.query("The PropertyValue must be a date such as '2024-01-31'.");
        }
    }
}
