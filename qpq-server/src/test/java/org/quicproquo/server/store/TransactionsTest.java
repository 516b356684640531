package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionsTest {
  @TempDir
  Path dir;

  private SqliteConnections connections;
  private Transactions tx;

  @BeforeEach
  void open() throws SQLException {
    connections = SqliteConnections.open(dir.resolve("t.db"));
    tx = Transactions.start(connections, new SqliteDialect());
    tx.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    tx.close();
    connections.close();
  }

  private Void insert(int n) throws SQLException {
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO t (n) VALUES (?)")) {
        p.setInt(1, n);
        p.executeUpdate();
      }
      return null;
    });
  }

  private List<Integer> rows() {
    return tx.read(c -> {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT n FROM t ORDER BY n")) {
        List<Integer> out = new ArrayList<>();
        while (r.next()) {
          out.add(r.getInt(1));
        }
        return out;
      }
    });
  }

  @Test
  void workThatThrowsIsRolledBackWithoutTakingItsBatchWithIt() throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<List<Integer>> committed = StoreContract.runConcurrently(16, () -> {
      List<Integer> mine = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        int n = next.incrementAndGet();
        boolean fail = n % 3 == 0;
        try {
          tx.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (n) VALUES (?)")) {
              p.setInt(1, n);
              p.executeUpdate();
            }
            if (fail) {
              throw new NameTakenException(UserName.of("n" + n));
            }
            return null;
          });
          mine.add(n);
        } catch (NameTakenException e) {
          assertThat(fail).isTrue();
        }
      }
      return mine;
    });

    List<Integer> expected = committed.stream().flatMap(List::stream).sorted().toList();
    assertThat(expected).hasSize(400 - 400 / 3);
    assertThat(rows()).isEqualTo(expected);
  }

  @Test
  void anSqlErrorFailsOnlyItsOwnWork() throws SQLException {
    insert(1);
    assertThatThrownBy(() -> insert(1))
        .isInstanceOf(StorageFailureException.class)
        .hasCauseInstanceOf(SQLException.class);
    insert(2);
    assertThat(rows()).containsExactly(1, 2);
  }

  @Test
  void nestedCallsJoinAndSeeTheirOwnWrites() {
    assertThatThrownBy(() -> tx.write(c -> {
      insert(10);
      assertThat(rows()).containsExactly(10);
      insert(11);
      throw new IllegalStateException("abort");
    })).isInstanceOf(IllegalStateException.class).hasMessage("abort");
    assertThat(rows()).isEmpty();
  }

  @Test
  void writingInsideAReadIsRefused() {
    assertThatThrownBy(() -> tx.read(c -> insert(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterCloseWritesAndReadsAreRefused() {
    tx.close();
    assertThatThrownBy(() -> insert(1)).isInstanceOf(StorageFailureException.class)
        .hasMessageContaining("closed");
    connections.close();
    assertThatThrownBy(this::rows).isInstanceOf(StorageFailureException.class);
  }
}
