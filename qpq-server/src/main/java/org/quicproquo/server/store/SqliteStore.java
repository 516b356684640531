package org.quicproquo.server.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;

/** Opens the SQLite flavour of {@link JdbcStore}. */
final class SqliteStore {
  private SqliteStore() {}

  static Store open(Path file, StoreLimits limits, Clock clock) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    SqliteConnections connections;
    try {
      connections = SqliteConnections.open(file);
    } catch (SQLException e) {
      throw new StorageFailureException("cannot open SQLite database " + file + ": "
          + e.getMessage(), e);
    }
    JdbcStore store = new JdbcStore(connections, new SqliteDialect(), limits, clock);
    try {
      store.migrate(clock);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }
}
