package dev.dve.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection pool and transactions. {@link #inTransaction} joins the transaction already open on this thread,
 * so a $batch change set, a request and the real-time steps it triggers commit or roll back as one.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final SqlDialect dialect;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Database(DatabaseConfig config) {
        this.dialect = SqlDialect.forJdbcUrl(config.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.setConnectionTimeout(10_000);
        if (dialect.connectionSetup() != null) {
            hc.setConnectionInitSql(dialect.connectionSetup());
        }
        hc.setPoolName("dve-" + Integer.toHexString(System.identityHashCode(this)));
        this.dataSource = new HikariDataSource(hc);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** Whether a transaction is open on this thread. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    /**
     * Runs the work in the thread's current transaction, or in a new one that commits when the work returns and
     * rolls back when it throws. SQL errors surface as Dataverse faults.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        Connection joined = current.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw translate(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            current.set(c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw translate(e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                current.remove();
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Runs the work in a transaction of its own even when one is open on this thread (for logs that must survive). */
    public <T> T inNewTransaction(SqlWork<T> work) {
        Connection outer = current.get();
        current.remove();
        try {
            return inTransaction(work);
        } finally {
            if (outer != null) {
                current.set(outer);
            }
        }
    }

    /**
     * Runs part of a transaction under a savepoint: when the part throws, what it wrote is undone and the rest of the
     * transaction goes on (the exception still propagates, for the caller to decide).
     */
    public <T> T undoOnFailure(Connection c, SqlWork<T> part) throws SQLException {
        java.sql.Savepoint before = c.setSavepoint();
        T result;
        try {
            result = part.run(c);
        } catch (SQLException | RuntimeException | Error e) {
            c.rollback(before);
            throw e;
        }
        c.releaseSavepoint(before);
        return result;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /** Maps a database error onto the Dataverse fault a client sees. */
    public DataverseFault translate(SQLException e) {
        if (dialect.isDuplicateKey(e)) {
            return new DataverseFault(ErrorCode.DUPLICATE_RECORD, ErrorCode.DUPLICATE_RECORD.httpStatus(),
                    "A record with matching key values already exists.", e);
        }
        return new DataverseFault(ErrorCode.SQL_ERROR, 500, "Generic SQL error.", e);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
