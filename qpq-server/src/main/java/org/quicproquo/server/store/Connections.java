package org.quicproquo.server.store;

import java.sql.SQLException;

/** Hands out JDBC connections of one database: exclusively, one caller at a time each. */
interface Connections extends AutoCloseable {
  /** Runs {@code work} on a connection that may write. */
  <T> T withWriter(SqlWork<T> work) throws SQLException;

  /** Runs {@code work} on a connection that is only read from. */
  <T> T withReader(SqlWork<T> work) throws SQLException;

  @Override
  void close();
}
