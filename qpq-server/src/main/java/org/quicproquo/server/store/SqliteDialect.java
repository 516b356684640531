package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite: explicit {@code BEGIN IMMEDIATE} transactions; one writer, so no row locks. */
final class SqliteDialect implements Dialect {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  @Override
  public String migrationLocation() {
    return "db/migration/sqlite";
  }

  @Override
  public void begin(Connection c) throws SQLException {
    // IMMEDIATE takes the write lock now: a DEFERRED transaction that reads and then writes
    // could fail with SQLITE_BUSY at the write, after its reads were already used.
    exec(c, "BEGIN IMMEDIATE");
  }

  @Override
  public void commit(Connection c) throws SQLException {
    exec(c, "COMMIT");
  }

  @Override
  public void rollback(Connection c) throws SQLException {
    exec(c, "ROLLBACK");
  }

  @Override
  public boolean isRetryable(SQLException e) {
    // extended codes (SQLITE_BUSY_SNAPSHOT = 517, ...) carry the primary code in the low byte
    int primary = e.getErrorCode() & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  }

  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public String forUpdateSkipLocked() {
    return "";
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
