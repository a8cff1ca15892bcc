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
    private final java.time.Duration statementTimeout;

    public Database(DatabaseConfig config) {
        this.dialect = SqlDialect.forJdbcUrl(config.jdbcUrl());
        this.statementTimeout = config.statementTimeout();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.setConnectionTimeout(10_000);
        hc.setConnectionInitSql(dialect.sessionSetup(config.statementTimeout()));
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

    /**
     * Runs the work in a new transaction whose statements may each run up to {@code timeout} (schema changes, bulk
     * maintenance) instead of the configured request bound, which the connection gets back before it returns to the pool.
     */
    public <T> T inTransactionBoundedBy(java.time.Duration timeout, SqlWork<T> work) {
        return inNewTransaction(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute(dialect.sessionSetup(timeout));
            }
            try {
                return work.run(c);
            } finally {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(dialect.sessionSetup(statementTimeout));
                }
            }
        });
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
        if (dialect.isStatementTimeout(e)) {
            return new DataverseFault(ErrorCode.SQL_TIMEOUT, ErrorCode.SQL_TIMEOUT.httpStatus(),
                    "SQL timeout expired. The query took too long; narrow it (fewer links, a more selective filter, a smaller page).", e);
        }
        return new DataverseFault(ErrorCode.SQL_ERROR, 500, "Generic SQL error.", e);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
