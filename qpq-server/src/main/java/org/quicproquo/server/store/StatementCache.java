package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept open per connection, so that a hot statement is compiled once per
 * connection instead of once per call. The SQLite driver has no statement cache of its own, and
 * compiling (parse, plan, code generation) cost the store writer more than running the
 * statements of an enqueue or an ack.
 *
 * <p>Only for SQL text that is a constant of the code: the cache never shrinks, and refuses more
 * than {@link #MAX_PER_CONNECTION} statements per connection (a caller building SQL text at run
 * time is a bug). A cached statement belongs to the cache: callers must not close it, and must
 * close every {@code ResultSet} they open on it, which resets it (an open one would pin a read
 * snapshot). It is handed out with its parameters and batch cleared.
 *
 * <p>Thread-safety: the cache may be shared, but a connection is used by one thread at a time
 * ({@link Connections} hands connections out exclusively, with a happens-before edge between
 * users), so the statements of one connection are too. They are closed with their connection.
 */
final class StatementCache {
  /** Far more than the distinct constant statements any path uses. */
  static final int MAX_PER_CONNECTION = 64;

  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      new ConcurrentHashMap<>();

  /** The cached statement for {@code sql} on {@code c}, prepared on first use. */
  PreparedStatement get(Connection c, String sql) throws SQLException {
    Map<String, PreparedStatement> mine = byConnection.computeIfAbsent(c, k -> new HashMap<>());
    PreparedStatement p = mine.get(sql);
    if (p != null && !p.isClosed()) {
      p.clearParameters();
      p.clearBatch();
      return p;
    }
    if (p == null && mine.size() >= MAX_PER_CONNECTION) {
      throw new IllegalStateException("more than " + MAX_PER_CONNECTION
          + " cached statements on one connection: is SQL text built at run time?");
    }
    p = c.prepareStatement(sql);
    mine.put(sql, p);
    return p;
  }

  /** Number of statements cached for {@code c} (tests). */
  int size(Connection c) {
    Map<String, PreparedStatement> mine = byConnection.get(c);
    return mine == null ? 0 : mine.size();
  }
}
