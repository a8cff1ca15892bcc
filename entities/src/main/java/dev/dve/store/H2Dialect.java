package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;

import java.sql.SQLException;

/** H2 2.x, the embedded default. Text columns are case-insensitive, as Dataverse's are. */
public final class H2Dialect implements SqlDialect {
    @Override
    public String name() {
        return "H2";
    }

    @Override
    public String quote(String identifier) {
        // identifiers are catalog names or generated ones; escaping is the second line of defence, not the first
        return '"' + SqlDialect.checkedIdentifier(identifier).replace("\"", "\"\"") + '"';
    }

    @Override
    public String columnType(AttributeMetadata a) {
        return switch (a.type()) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER -> guidType();
            // H2's longest character string is 1 000 000 000; a text-area string column may declare 1073741823
            case STRING, ENTITYNAME -> "VARCHAR_IGNORECASE(" + Math.min(a.maxLength(), 1000000000) + ")";
            case MULTISELECTPICKLIST -> "VARCHAR(1000)";
            case MEMO -> "VARCHAR_IGNORECASE(1000000000)";
            case INTEGER, PICKLIST, STATE, STATUS -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case DECIMAL, MONEY -> "DECIMAL(38," + a.precision() + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATETIME -> timestampType();
        };
    }

    @Override
    public String largeTextType() {
        return "VARCHAR(1000000000)";
    }

    @Override
    public String timestampType() {
        return "TIMESTAMP(3)";
    }

    @Override
    public String datePart(dev.dve.query.Aggregation.DatePart part, String column) {
        return part == dev.dve.query.Aggregation.DatePart.WEEK ? "ISO_WEEK(" + column + ")" : SqlDialect.super.datePart(part, column);
    }

    @Override
    public String date(String year, int month, int day) {
        return "DATEADD(DAY, " + (day - 1) + ", DATEADD(MONTH, " + (month - 1) + ", DATEADD(YEAR, " + year + " - 2000, DATE '2000-01-01')))";
    }

    @Override
    public String dayDifference(String from, String to) {
        return "DATEDIFF(DAY, " + from + ", " + to + ")";
    }

    /**
     * Writers of one row queue on its lock. H2 gives up after 2 seconds by default, which twenty writers of one busy
     * row exceed; wait as long as MariaDB does by default (innodb_lock_wait_timeout, 50 s) so both stores behave alike.
     * H2 runs both commands of the one init statement.
     */
    @Override
    public String sessionSetup(java.time.Duration statementTimeout) {
        return "SET LOCK_TIMEOUT 50000; SET QUERY_TIMEOUT " + statementTimeout.toMillis();
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        // org.h2.api.ErrorCode.STATEMENT_WAS_CANCELED
        return e.getErrorCode() == 57014 || "57014".equals(e.getSQLState());
    }

    @Override
    public boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
