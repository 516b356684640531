package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir
  Path dir;

  private Connection c;
  private final StatementCache cache = new StatementCache();

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (n INTEGER)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void theSameSqlOnTheSameConnectionIsPreparedOnce() throws SQLException {
    PreparedStatement first = cache.get(c, "INSERT INTO t (n) VALUES (?)");
    first.setInt(1, 1);
    first.executeUpdate();
    PreparedStatement second = cache.get(c, "INSERT INTO t (n) VALUES (?)");
    second.setInt(1, 2);
    second.executeUpdate();

    assertThat(second).isSameAs(first);
    assertThat(cache.size(c)).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM t")).isEqualTo(2);
  }

  @Test
  void aStatementComesBackWithItsBatchAndParametersCleared() throws SQLException {
    PreparedStatement p = cache.get(c, "INSERT INTO t (n) VALUES (?)");
    p.setInt(1, 7);
    p.addBatch();
    // work that failed before executeBatch leaves its batch behind; the next user must not run it

    PreparedStatement again = cache.get(c, "INSERT INTO t (n) VALUES (?)");
    again.setInt(1, 8);
    again.addBatch();
    again.executeBatch();

    assertThat(count("SELECT COUNT(*) FROM t")).isEqualTo(1);
    assertThat(count("SELECT n FROM t")).isEqualTo(8);
  }

  @Test
  void aQueryLeftAfterItsFirstRowDoesNotPinTheStatement() throws SQLException {
    cache.get(c, "INSERT INTO t (n) VALUES (1), (2), (3)").executeUpdate();
    PreparedStatement q = cache.get(c, "SELECT n FROM t WHERE n >= ? ORDER BY n");
    q.setInt(1, 1);
    try (ResultSet r = q.executeQuery()) {
      assertThat(r.next()).isTrue();
    }
    PreparedStatement again = cache.get(c, "SELECT n FROM t WHERE n >= ? ORDER BY n");
    again.setInt(1, 3);
    try (ResultSet r = again.executeQuery()) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void sqlBuiltAtRunTimeHitsTheCap() throws SQLException {
    for (int i = 0; i < StatementCache.MAX_PER_CONNECTION; i++) {
      cache.get(c, "SELECT " + i);
    }
    assertThatThrownBy(() -> cache.get(c, "SELECT -1"))
        .isInstanceOf(IllegalStateException.class);
    // statements already cached are still handed out
    assertThat(cache.get(c, "SELECT 0")).isNotNull();
  }

  @Test
  void aClosedConnectionsStatementFailsCleanly() throws SQLException {
    Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
    cache.get(other, "SELECT COUNT(*) FROM t");
    other.close();
    assertThatThrownBy(() -> cache.get(other, "SELECT COUNT(*) FROM t").executeQuery())
        .isInstanceOf(SQLException.class);
  }

  private int count(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getInt(1);
    }
  }
}
