package dev.dve.store;

/** Where the records live: a JDBC URL (H2 or MariaDB) with its credentials and pool size. */
public record DatabaseConfig(String jdbcUrl, String user, String password, int poolSize, java.time.Duration statementTimeout) {
    /** How long one SQL statement may run before the database stops it (Dataverse's own SQL timeout is of this order). */
    public static final java.time.Duration DEFAULT_STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(30);

    public DatabaseConfig {
        if (poolSize <= 0) {
            poolSize = 10;
        }
        if (statementTimeout == null || statementTimeout.isZero() || statementTimeout.isNegative()) {
            statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        }
    }

    public DatabaseConfig(String jdbcUrl, String user, String password, int poolSize) {
        this(jdbcUrl, user, password, poolSize, DEFAULT_STATEMENT_TIMEOUT);
    }

    public DatabaseConfig withPoolSize(int size) {
        return new DatabaseConfig(jdbcUrl, user, password, size, statementTimeout);
    }

    public DatabaseConfig withStatementTimeout(java.time.Duration timeout) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, timeout);
    }

    /** A private in-memory H2 database, named so several pools in one JVM stay apart. */
    public static DatabaseConfig inMemoryH2(String name) {
        return new DatabaseConfig("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", 10);
    }

    /** An H2 database on disk in the given directory. */
    public static DatabaseConfig h2File(String directory) {
        return new DatabaseConfig("jdbc:h2:file:" + directory + "/dataverse;AUTO_SERVER=FALSE", "sa", "", 10);
    }
}
