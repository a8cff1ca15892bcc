package dev.dve.query;

import java.time.LocalDate;
import java.time.MonthDay;
import java.time.temporal.ChronoUnit;

/**
 * An organization's fiscal calendar: the fiscal year starts on {@code start} (month and day) and is named by the
 * calendar year it starts in; {@code organization.fiscalperiodtype} divides it into periods — one (2000, annually),
 * two halves (2001), four quarters (2002), twelve months (2003) or thirteen four-week periods (2004; the last one
 * runs to the next year's start and so holds the year's one or two days beyond 364).
 */
public record FiscalCalendar(MonthDay start, Template template) {
    /** How a fiscal year is divided, by its {@code fiscalperiodtype} value. */
    public enum Template {
        ANNUALLY(2000, 1, 12), SEMIANNUALLY(2001, 2, 6), QUARTERLY(2002, 4, 3), MONTHLY(2003, 12, 1), FOUR_WEEKLY(2004, 13, 0);

        private final int code;
        private final int periods;
        private final int months;

        Template(int code, int periods, int months) {
            this.code = code;
            this.periods = periods;
            this.months = months;
        }

        /** The {@code fiscalperiodtype} value. */
        public int code() {
            return code;
        }

        /** Periods in a fiscal year. */
        public int periods() {
            return periods;
        }

        /** Months of one period; 0 for four-week periods. */
        public int months() {
            return months;
        }

        /** The template of a {@code fiscalperiodtype} value; quarters when it is unset or not one of the five. */
        public static Template of(Integer code) {
            for (Template t : values()) {
                if (code != null && t.code == code) {
                    return t;
                }
            }
            return QUARTERLY;
        }
    }

    /** Days of a four-week period. */
    public static final int FOUR_WEEKS = 28;

    /** The quarterly calendar starting on January 1. */
    public static FiscalCalendar calendarYear() {
        return new FiscalCalendar(MonthDay.of(1, 1), Template.QUARTERLY);
    }

    /** The first day of fiscal year {@code year}. */
    public LocalDate yearStart(long year) {
        return start.atYear(Math.toIntExact(year));
    }

    /** The fiscal year a day falls in. */
    public int yearOf(LocalDate day) {
        LocalDate s = yearStart(day.getYear());
        return s.isAfter(day) ? day.getYear() - 1 : day.getYear();
    }

    /** The period (1 …) of its fiscal year a day falls in. */
    public int periodOf(LocalDate day) {
        LocalDate s = yearStart(yearOf(day));
        if (template == Template.FOUR_WEEKLY) {
            return (int) Math.min(ChronoUnit.DAYS.between(s, day) / FOUR_WEEKS + 1, template.periods());
        }
        return (int) (ChronoUnit.MONTHS.between(s, day) / template.months()) + 1;
    }

    /**
     * The first day of period {@code period} of fiscal year {@code year}; a period beyond the year's last (or before its
     * first) counts on into the next (or back into the previous) years, so "the period before period 1" is the last
     * period of the year before.
     */
    public LocalDate periodStart(long year, long period) {
        long index = Math.addExact(Math.multiplyExact(year, template.periods()), period - 1);
        long y = Math.floorDiv(index, template.periods());
        long p = Math.floorMod(index, template.periods());
        LocalDate s = yearStart(y);
        return template == Template.FOUR_WEEKLY ? s.plusDays(p * FOUR_WEEKS) : s.plusMonths(p * template.months());
    }
}
