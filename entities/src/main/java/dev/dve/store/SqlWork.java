package dev.dve.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work run on a connection inside a transaction. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
