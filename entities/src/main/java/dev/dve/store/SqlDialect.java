package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;

import java.sql.SQLException;

/** Everything that differs between the databases the emulator runs on. Every other class writes portable SQL. */
public interface SqlDialect {
    String name();

    /** Quotes an identifier (table or column name) so reserved words are safe. */
    String quote(String identifier);

    /**
     * Refuses what can never be an identifier of ours (empty, NUL, over the databases' length limits). Reaching this
     * is a programming error: request text must have been mapped to a catalog or generated name before.
     */
    static String checkedIdentifier(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.length() > 64 || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Not an SQL identifier of the emulator: " + identifier);
        }
        return identifier;
    }

    /** Session settings every pooled connection gets: the statement time bound, so no query holds a connection for long. */
    String sessionSetup(java.time.Duration statementTimeout);

    /** Whether the exception reports a statement stopped by the time bound of {@link #sessionSetup}. */
    boolean isStatementTimeout(SQLException e);

    /** Column type for an attribute's value column. */
    String columnType(AttributeMetadata attribute);

    /** Column type for a GUID. */
    default String guidType() {
        return "CHAR(36)";
    }

    /** Column type for short internal text such as a lookup's target entity. */
    default String shortTextType() {
        return "VARCHAR(128)";
    }

    /** Column type for internal JSON or large text. */
    String largeTextType();

    /** Column type for a timestamp stored in UTC. */
    String timestampType();

    /**
     * Statements run before and after the schema is created or extended (null: none). A standard table has well over
     * a hundred columns, more than a storage engine's worst-case row check may allow although real rows stay small.
     */
    default String beforeSchemaChange() {
        return null;
    }

    default String afterSchemaChange() {
        return null;
    }

    /** Suffix of a CREATE TABLE statement (engine, character set). */
    default String tableOptions() {
        return "";
    }

    /** A statement that returns the next value of a sequence as its single column. */
    default String nextValue(String sequence) {
        return "SELECT NEXT VALUE FOR " + quote(sequence);
    }

    /** An expression that takes the sequence's next value inside another statement (one value per row of an UPDATE). */
    default String nextValueExpression(String sequence) {
        return "NEXT VALUE FOR " + quote(sequence);
    }

    default String createSequence(String sequence) {
        return "CREATE SEQUENCE IF NOT EXISTS " + quote(sequence) + " START WITH 1000 INCREMENT BY 1";
    }

    /**
     * Row-lock clause: the selected rows stay locked by this transaction until it ends, and a reader that needs them
     * waits for the holder instead of reading a version that is about to change. Both databases spell it the same.
     */
    default String forUpdate() {
        return " FOR UPDATE";
    }

    /**
     * A clause that turns an INSERT whose primary key is taken into a no-op holding the existing row's exclusive lock,
     * or null where a plain INSERT that fails on a duplicate key leaves no lock behind (H2), so that the requests that
     * lost an insert race can go on to lock and update the row one after another. {@code key} is the quoted
     * primary-key column.
     */
    default String keepExistingOnDuplicateKey(String key) {
        return null;
    }

    /** Row-lock clause that skips rows other transactions hold. */
    default String forUpdateSkipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /** The bitwise AND of two integer expressions (the right one may be a parameter). */
    default String bitAnd(String left, String right) {
        return "BITAND(" + left + ", CAST(" + right + " AS INTEGER))";
    }

    /** An expression for a part of a timestamp column as a number (FetchXML dategrouping). */
    default String datePart(dev.dve.query.Aggregation.DatePart part, String column) {
        return switch (part) {
            case YEAR -> "EXTRACT(YEAR FROM " + column + ")";
            case QUARTER -> "QUARTER(" + column + ")";
            case MONTH -> "EXTRACT(MONTH FROM " + column + ")";
            case WEEK -> "WEEK(" + column + ")";
            case DAY -> "EXTRACT(DAY FROM " + column + ")";
            case FISCAL_YEAR, FISCAL_PERIOD -> throw new IllegalArgumentException("fiscal parts need the fiscal year's start");
        };
    }

    /**
     * The fiscal year (named by the calendar year it starts in) or, for a period, {@code year * 10 + quarter} of a
     * timestamp column, for fiscal years starting on {@code start}. The month and day are numbers from the organization
     * row, not user input.
     */
    default String fiscalPart(dev.dve.query.Aggregation.DatePart part, String column, java.time.MonthDay start) {
        String fiscalYear = fiscalYear(column, start);
        if (part == dev.dve.query.Aggregation.DatePart.FISCAL_YEAR) {
            return fiscalYear;
        }
        return "(" + fiscalYear + " * 10 + " + fiscalPeriod(column, new dev.dve.query.FiscalCalendar(start,
                dev.dve.query.FiscalCalendar.Template.QUARTERLY)) + ")";
    }

    /** The fiscal year (named by the calendar year it starts in) of a timestamp column, for fiscal years starting on {@code start}. */
    private String fiscalYear(String column, java.time.MonthDay start) {
        int m = start.getMonthValue();
        int d = start.getDayOfMonth();
        String y = "EXTRACT(YEAR FROM " + column + ")";
        String mo = "EXTRACT(MONTH FROM " + column + ")";
        String dy = "EXTRACT(DAY FROM " + column + ")";
        return "(" + y + " - CASE WHEN " + mo + " < " + m + " OR (" + mo + " = " + m + " AND " + dy + " < " + d + ") THEN 1 ELSE 0 END)";
    }

    /**
     * The period (1 … the calendar's periods per year) of its fiscal year a timestamp column falls in: whole months
     * since the fiscal year's start divided by the months of a period, or, for four-week periods, whole days since the
     * start divided by 28 (the thirteenth period keeping the year's last days). The calendar's numbers come from the
     * organization row, not from user input.
     */
    default String fiscalPeriod(String column, dev.dve.query.FiscalCalendar calendar) {
        int m = calendar.start().getMonthValue();
        int d = calendar.start().getDayOfMonth();
        String fiscalYear = fiscalYear(column, calendar.start());
        if (calendar.template() == dev.dve.query.FiscalCalendar.Template.FOUR_WEEKLY) {
            return "LEAST(FLOOR(" + dayDifference(date(fiscalYear, m, d), column) + " / " + dev.dve.query.FiscalCalendar.FOUR_WEEKS + ") + 1, "
                    + calendar.template().periods() + ")";
        }
        String y = "EXTRACT(YEAR FROM " + column + ")";
        String mo = "EXTRACT(MONTH FROM " + column + ")";
        String dy = "EXTRACT(DAY FROM " + column + ")";
        String monthsIn = "((" + y + " * 12 + " + mo + ") - (" + fiscalYear + " * 12 + " + m + ") - CASE WHEN " + dy + " < " + d + " THEN 1 ELSE 0 END)";
        return "(FLOOR(" + monthsIn + " / " + calendar.template().months() + ") + 1)";
    }

    /** The date of month {@code month}, day {@code day} of the year an integer expression names. */
    String date(String year, int month, int day);

    /** Whole days from the date of {@code from} to the date of {@code to}. */
    String dayDifference(String from, String to);

    /** Whether the exception reports a unique-key violation. */
    boolean isDuplicateKey(SQLException e);

    /**
     * A statement taking a lock on this database's schema changes across processes (null: the database lives in one
     * process, where {@link SchemaBuilder} locks in memory), and the one releasing it.
     */
    default String[] schemaLock() {
        return null;
    }

    /** How table names read back from JDBC metadata compare with the names we create. */
    default String metadataName(String identifier) {
        return identifier;
    }

    static SqlDialect forJdbcUrl(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return new MariaDbDialect();
        }
        throw new IllegalArgumentException("Unsupported database URL " + url + " (use jdbc:h2: or jdbc:mariadb:)");
    }
}
