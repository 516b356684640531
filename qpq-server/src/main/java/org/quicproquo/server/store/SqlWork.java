package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on a JDBC connection inside a transaction. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
