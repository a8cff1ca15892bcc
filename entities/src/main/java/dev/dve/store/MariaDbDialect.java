package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;

import java.sql.SQLException;

/** MariaDB 10.6 or later, the shared multi-node store. Tables use a case-insensitive collation. */
public final class MariaDbDialect implements SqlDialect {
    private static final int LONGEST_VARCHAR = 4000;

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public String quote(String identifier) {
        // identifiers are catalog names or generated ones; escaping is the second line of defence, not the first
        return '`' + SqlDialect.checkedIdentifier(identifier).replace("`", "``") + '`';
    }

    @Override
    public String bitAnd(String left, String right) {
        return "(" + left + " & " + right + ")";
    }

    @Override
    public String columnType(AttributeMetadata a) {
        return switch (a.type()) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER -> guidType();
            case STRING, ENTITYNAME -> a.maxLength() <= LONGEST_VARCHAR ? "VARCHAR(" + a.maxLength() + ")" : "LONGTEXT";
            case MULTISELECTPICKLIST -> "VARCHAR(1000)";
            case MEMO -> "LONGTEXT";
            case INTEGER, PICKLIST, STATE, STATUS -> "INT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL, MONEY -> "DECIMAL(38," + a.precision() + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATETIME -> timestampType();
        };
    }

    @Override
    public String guidType() {
        return "CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci";
    }

    @Override
    public String largeTextType() {
        return "LONGTEXT";
    }

    @Override
    public String timestampType() {
        // DATETIME, not TIMESTAMP: TIMESTAMP ends in 2038 and postponeuntil is 9999-12-30.
        return "DATETIME(3)";
    }

    /**
     * InnoDB's strict mode refuses a table whose every text column, filled to its maximum, would not fit a page; the
     * standard tables (account, contact) have that many columns. Without it the table is created and a row that is
     * really too large is still refused when written.
     */
    @Override
    public String beforeSchemaChange() {
        return "SET SESSION innodb_strict_mode = OFF";
    }

    @Override
    public String afterSchemaChange() {
        return "SET SESSION innodb_strict_mode = DEFAULT";
    }

    @Override
    public String tableOptions() {
        return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
    }

    @Override
    public String datePart(dev.dve.query.Aggregation.DatePart part, String column) {
        return part == dev.dve.query.Aggregation.DatePart.WEEK ? "WEEK(" + column + ", 3)" : SqlDialect.super.datePart(part, column);
    }

    @Override
    public String date(String year, int month, int day) {
        return "(MAKEDATE(" + year + ", 1) + INTERVAL " + (month - 1) + " MONTH + INTERVAL " + (day - 1) + " DAY)";
    }

    @Override
    public String dayDifference(String from, String to) {
        return "DATEDIFF(" + to + ", " + from + ")";
    }

    /**
     * InnoDB leaves a shared lock on the existing row when an INSERT fails on its key; two requests that lost the same
     * insert race and then both ask for the exclusive lock deadlock. With ON DUPLICATE KEY UPDATE the losing insert
     * takes the exclusive lock at once (the losers queue), and assigning the key to itself changes nothing.
     */
    @Override
    public String keepExistingOnDuplicateKey(String key) {
        return " ON DUPLICATE KEY UPDATE " + key + " = " + key;
    }

    @Override
    public String sessionSetup(java.time.Duration statementTimeout) {
        // max_statement_time bounds every statement of the session, writes included; seconds, fractions allowed
        return "SET SESSION max_statement_time = " + (statementTimeout.toMillis() / 1000.0);
    }

    @Override
    public boolean isStatementTimeout(SQLException e) {
        // ER_STATEMENT_TIMEOUT (max_statement_time exceeded); 3024 is MySQL's spelling of the same
        return e.getErrorCode() == 1969 || e.getErrorCode() == 3024 || "70100".equals(e.getSQLState());
    }

    @Override
    public boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == 1062;
    }

    @Override
    public String[] schemaLock() {
        // per database: several emulators' databases may share one MariaDB server
        return new String[]{"SELECT GET_LOCK(CONCAT(DATABASE(), '.dve_schema'), 600)", "SELECT RELEASE_LOCK(CONCAT(DATABASE(), '.dve_schema'))"};
    }
}
