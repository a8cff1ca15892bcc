package dev.dve.store;

/** Where the records live: a JDBC URL (H2 or MariaDB) with its credentials and pool size. */
public record DatabaseConfig(String jdbcUrl, String user, String password, int poolSize) {
    public DatabaseConfig {
        if (poolSize <= 0) {
            poolSize = 10;
        }
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
