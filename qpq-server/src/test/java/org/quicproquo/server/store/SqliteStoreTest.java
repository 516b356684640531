package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file, plus what is SQLite-specific. */
class SqliteStoreTest extends StoreContract {
  @TempDir
  Path dir;

  Path file() {
    return dir.resolve("qpq.db");
  }

  @Override
  Store openStore(StoreLimits limits) {
    return Store.openSqlite(file(), limits, clock);
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }

  private List<String> plan(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString("detail"));
      }
      return out;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void theDatabaseIsInWalModeWithForeignKeysAndFullSync() throws SQLException {
    assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
    // synchronous and foreign_keys are per connection: ask the store's own writer
    List<Integer> pragmas = ((JdbcStore) store).transactions().write(c -> {
      List<Integer> out = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        for (String pragma : List.of("synchronous", "foreign_keys")) {
          try (ResultSet r = s.executeQuery("PRAGMA " + pragma)) {
            r.next();
            out.add(r.getInt(1));
          }
        }
      }
      return out;
    });
    assertThat(pragmas).as("synchronous=FULL (2), foreign_keys=ON (1)").containsExactly(2, 1);
  }

  @Test
  void anEmptyDatabaseIsMigratedToTheLatestVersion() throws SQLException {
    assertThat(query("SELECT version || ':' || description FROM schema_version"))
        .containsExactly("1:init", "2:queue_by_message_id", "3:blobs", "4:unused",
            "5:key_transparency");
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains("users", "devices", "key_packages", "queue", "delivered", "mls_groups",
            "group_infos", "kt_entries");
    // reopening applies nothing twice
    reopen(limits());
    assertThat(query("SELECT COUNT(*) FROM schema_version")).containsExactly("5");
  }

  @Test
  void aDatabaseFromANewerServerIsRefused() throws SQLException {
    store.close();
    execute("INSERT INTO schema_version VALUES (99, 'future', 'x', 0)");

    assertThatThrownBy(() -> openStore(limits()))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("knows versions up to 5");
    store = openStoreAfterRepair();
  }

  @Test
  void anAppliedMigrationThatWasEditedIsRefused() throws SQLException {
    store.close();
    execute("UPDATE schema_version SET sha256 = 'edited' WHERE version = 1");

    assertThatThrownBy(() -> openStore(limits()))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("V1__init was changed");
    execute("DELETE FROM schema_version WHERE version = 1");
    // the @AfterEach close needs an open store; a fresh file is fine for that
    store = Store.openSqlite(dir.resolve("other.db"), limits(), clock);
  }

  private Store openStoreAfterRepair() throws SQLException {
    execute("DELETE FROM schema_version WHERE version = 99");
    return openStore(limits());
  }

  @Test
  void hotQueriesUseIndexesNotTableScans() throws SQLException {
    // the statements run per message; a full scan here would grow with every queue
    String[] hot = {
        "SELECT seq FROM queue WHERE device_id = 1 AND seq > 0 "
            + "AND (expires_at IS NULL OR expires_at > 0) ORDER BY seq LIMIT 10",
        "SELECT 1 FROM queue WHERE device_id = 1 AND message_id = x'00' "
            + "UNION ALL SELECT 1 FROM delivered WHERE device_id = 1 AND message_id = x'00'",
        "DELETE FROM queue WHERE device_id = 1 AND message_id = x'00'",
        "DELETE FROM queue WHERE expires_at <= 0",
        "DELETE FROM key_packages WHERE id = (SELECT id FROM key_packages WHERE device_id = 1 "
            + "AND last_resort = FALSE ORDER BY id LIMIT 1)",
        "SELECT d.id FROM devices d JOIN users u ON u.id = d.user_id WHERE u.name = 'a' "
            + "AND NOT d.revoked ORDER BY d.id",
    };
    for (String sql : hot) {
      List<String> plan = plan(sql);
      assertThat(plan).as(sql).isNotEmpty()
          .noneMatch(step -> step.matches("SCAN (queue|delivered|key_packages|devices|users)\\b.*")
              && !step.contains("INDEX"))
          .noneMatch(step -> step.contains("TEMP B-TREE"));
    }
  }
}
