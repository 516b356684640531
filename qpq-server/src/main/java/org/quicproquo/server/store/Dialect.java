package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The few things that differ between SQL engines. Everything else (every query) is shared by the
 * JDBC stores; queries use only syntax both SQLite (3.35+) and PostgreSQL accept:
 * {@code ON CONFLICT ... DO}, {@code RETURNING}, {@code TRUE}/{@code FALSE}.
 */
interface Dialect {
  /** Classpath folder of this engine's migrations, holding an {@code INDEX} file. */
  String migrationLocation();

  /** Starts a writing transaction that holds the engine's write lock from its first statement. */
  void begin(Connection c) throws SQLException;

  /** Commits the transaction started by {@link #begin}. */
  void commit(Connection c) throws SQLException;

  /** Rolls back the transaction started by {@link #begin}. */
  void rollback(Connection c) throws SQLException;

  /** Whether the failure is contention that a fresh attempt of the transaction may not meet. */
  boolean isRetryable(SQLException e);

  /**
   * Appended to a {@code SELECT} that reads a row the transaction will then update, so concurrent
   * writers serialise on it. Empty where the whole database has one writer anyway.
   */
  String forUpdate();

  /** Like {@link #forUpdate()}, but concurrent writers skip rows another one has locked. */
  String forUpdateSkipLocked();
}
