package dev.dve.query;

/** Condition operators of the query model, named after the SDK's {@code ConditionOperator}. */
public enum ConditionOperator {
    EQUAL, NOT_EQUAL, GREATER_THAN, GREATER_EQUAL, LESS_THAN, LESS_EQUAL,
    LIKE, NOT_LIKE, BEGINS_WITH, NOT_BEGIN_WITH, ENDS_WITH, NOT_END_WITH,
    IN, NOT_IN, NULL, NOT_NULL, BETWEEN, NOT_BETWEEN,
    /**
     * The date falls in the given fiscal period of any fiscal year: values are the period (1 … the calendar's periods
     * per year) and the organization's {@link FiscalCalendar}.
     */
    IN_FISCAL_PERIOD,
    /** The integer column shares at least one set bit with the value (a flag of a bit mask, {@code accessrightsmask}). */
    MASK
}
