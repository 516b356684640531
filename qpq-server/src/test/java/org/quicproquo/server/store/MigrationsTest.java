package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private SqliteConnections connections;
  private Transactions tx;

  @BeforeEach
  void open() throws SQLException {
    connections = SqliteConnections.open(dir.resolve("m.db"));
    tx = Transactions.start(connections, new SqliteDialect());
  }

  @AfterEach
  void close() {
    tx.close();
    connections.close();
  }

  private List<String> column(String sql) {
    return tx.read(c -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
        List<String> out = new ArrayList<>();
        while (r.next()) {
          out.add(r.getString(1));
        }
        return out;
      }
    });
  }

  @Test
  void theShippedMigrationsAreNumberedFromOne() {
    List<Migrations.Migration> shipped = Migrations.load(new SqliteDialect().migrationLocation());

    assertThat(shipped).isNotEmpty();
    assertThat(shipped.get(0).version()).isEqualTo(1);
    assertThat(shipped.get(0).description()).isEqualTo("init");
    assertThat(shipped.get(0).sha256()).hasSize(64);
  }

  @Test
  void aFailingMigrationLeavesNothingBehindAndEarlierOnesStay() {
    List<Migrations.Migration> migrations = Migrations.load("db/migration/test-broken");

    assertThatThrownBy(() -> Migrations.apply(tx, migrations, clock))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("V2__broken failed and was rolled back");

    assertThat(column("SELECT version FROM schema_version")).containsExactly("1");
    assertThat(column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains("first").doesNotContain("second", "broken");
    assertThat(column("SELECT COUNT(*) FROM first")).containsExactly("0");
  }

  @Test
  void migrationsMustBeNumberedWithoutGaps() {
    assertThatThrownBy(() -> Migrations.load("db/migration/test-gap"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("V3__third.sql out of order");
    assertThatThrownBy(() -> Migrations.load("db/migration/absent"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("missing migration resource");
  }

  @Test
  void applyingTwiceRunsEachMigrationOnce() {
    List<Migrations.Migration> shipped = Migrations.load(new SqliteDialect().migrationLocation());

    assertThat(Migrations.apply(tx, shipped, clock)).isEqualTo(shipped.size());
    assertThat(Migrations.apply(tx, shipped, clock)).isEqualTo(shipped.size());

    assertThat(column("SELECT COUNT(*) FROM schema_version"))
        .containsExactly(String.valueOf(shipped.size()));
  }

  @Test
  void statementsAreSplitAtLineEndingSemicolonsAndCommentsDropped() {
    assertThat(Migrations.statements("-- comment;\nCREATE TABLE a (\n  x TEXT DEFAULT 'a;b'\n);\n"
        + "\nCREATE INDEX i ON a (x);\n"))
        .containsExactly("CREATE TABLE a (\n  x TEXT DEFAULT 'a;b'\n)", "CREATE INDEX i ON a (x)");
    assertThatThrownBy(() -> Migrations.statements("CREATE TABLE a (x)"))
        .isInstanceOf(SchemaException.class);
  }
}
