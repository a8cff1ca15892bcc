package dev.dve.engine.workflow.xaml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The designer's duration: years, months, days, hours and minutes, added to a date calendar-wise. */
public record XrmTimeSpan(int years, int months, int days, int hours, int minutes) {
    public Instant addTo(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC).plusYears(years).plusMonths(months).plusDays(days).plusHours(hours).plusMinutes(minutes);
        return z.toInstant();
    }
}
