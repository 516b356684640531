package org.quicproquo.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: files {@code V<n>__<description>.sql} listed in order in the
 * {@code INDEX} file of {@link Dialect#migrationLocation()}, numbered 1, 2, 3, ... without gaps.
 *
 * <p>At open, every migration not yet recorded in {@code schema_version} runs in its own
 * transaction together with the row recording it, so a migration is either fully applied or not
 * at all. A database that records a version this code does not know is refused, and so is one
 * whose applied migration files were edited afterwards (their SHA-256 is recorded).
 *
 * <p>File syntax: statements end with {@code ;} at the end of a line; lines starting with
 * {@code --} are comments. Statements must not contain a line ending in {@code ;} otherwise.
 */
final class Migrations {
  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]{0,5})__([A-Za-z0-9_]+)\\.sql");
  private static final int MAX_FILE_BYTES = 1 << 20;

  /** One migration file. */
  record Migration(int version, String description, String sql, String sha256) {}

  private Migrations() {}

  /** Reads the migrations of {@code location} from the classpath. */
  static List<Migration> load(String location) {
    String index = resource(location + "/INDEX");
    List<Migration> out = new ArrayList<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new SchemaException("bad migration file name " + name + " in " + location);
      }
      int version = Integer.parseInt(m.group(1));
      if (version != out.size() + 1) {
        throw new SchemaException("migration " + name + " out of order: expected version "
            + (out.size() + 1));
      }
      String sql = resource(location + "/" + name);
      out.add(new Migration(version, m.group(2), sql, sha256(sql)));
    }
    return List.copyOf(out);
  }

  /**
   * Brings the database up to the last of {@code migrations}.
   *
   * @return the schema version afterwards
   * @throws SchemaException if the database is newer, a recorded migration differs, or a
   *     migration fails (it is rolled back)
   */
  static int apply(Transactions tx, List<Migration> migrations, Clock clock) {
    Map<Integer, String> applied = tx.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, sha256 TEXT NOT NULL, "
            + "applied_at BIGINT NOT NULL)");
      }
      return recorded(c);
    });
    int known = migrations.size();
    int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > known) {
      throw new SchemaException("the database has schema version " + newest
          + " but this server knows versions up to " + known
          + "; it was written by a newer server: run that version or restore a backup");
    }
    for (Migration m : migrations) {
      String sha = applied.get(m.version());
      if (sha != null && !sha.equals(m.sha256())) {
        throw new SchemaException("migration V" + m.version() + "__" + m.description()
            + " was changed after it was applied to this database; add a new migration instead");
      }
    }
    for (Migration m : migrations) {
      if (applied.containsKey(m.version())) {
        continue;
      }
      try {
        tx.write(c -> {
          // another process may have applied it since we looked
          if (recorded(c).containsKey(m.version())) {
            return null;
          }
          try (Statement s = c.createStatement()) {
            for (String statement : statements(m.sql())) {
              s.execute(statement);
            }
          }
          try (PreparedStatement p = c.prepareStatement(
              "INSERT INTO schema_version (version, description, sha256, applied_at) "
                  + "VALUES (?, ?, ?, ?)")) {
            p.setInt(1, m.version());
            p.setString(2, m.description());
            p.setString(3, m.sha256());
            p.setLong(4, clock.millis());
            p.executeUpdate();
          }
          return null;
        });
      } catch (StorageFailureException e) {
        throw new SchemaException("migration V" + m.version() + "__" + m.description()
            + " failed and was rolled back: " + e.getCause().getMessage(), e);
      }
    }
    return known;
  }

  private static Map<Integer, String> recorded(Connection c) throws SQLException {
    Map<Integer, String> out = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version, sha256 FROM schema_version ORDER BY version")) {
      while (r.next()) {
        out.put(r.getInt(1), r.getString(2));
      }
    }
    return out;
  }

  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        out.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new SchemaException("migration ends without ';': " + current.toString().strip());
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new SchemaException("missing migration resource " + path);
      }
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new SchemaException("migration resource " + path + " is too large");
      }
      // normalised so a checkout with CRLF line endings has the same checksum
      return new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new SchemaException("cannot read migration resource " + path, e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
