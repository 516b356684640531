package org.quicproquo.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/** {@link KeyLogStore} on the shared JDBC schema (table {@code kt_entries}, migration V5). */
final class JdbcKeyLogStore implements KeyLogStore {
  private final Transactions tx;

  JdbcKeyLogStore(Transactions tx) {
    this.tx = tx;
  }

  @Override
  public KeyLogRecord append(String name, int kind, LongFunction<byte[]> encodeAt) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(encodeAt, "encodeAt");
    return tx.write(c -> {
      long seq;
      try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(seq) + 1, 0) "
          + "FROM kt_entries"); ResultSet r = p.executeQuery()) {
        r.next();
        seq = r.getLong(1);
      }
      byte[] entry = encodeAt.apply(seq);
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO kt_entries (seq, name, kind, entry) VALUES (?, ?, ?, ?)")) {
        p.setLong(1, seq);
        p.setString(2, name);
        p.setInt(3, kind);
        p.setBytes(4, entry);
        p.executeUpdate();
      }
      return new KeyLogRecord(seq, name, kind, entry);
    });
  }

  @Override
  public long size() {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(seq) + 1, 0) "
          + "FROM kt_entries"); ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  @Override
  public List<KeyLogRecord> range(long from, int limit) {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT seq, name, kind, entry FROM "
          + "kt_entries WHERE seq >= ? ORDER BY seq LIMIT ?")) {
        p.setLong(1, from);
        p.setInt(2, limit);
        return records(p);
      }
    });
  }

  @Override
  public List<KeyLogRecord> byName(String name, long below, int limit) {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT seq, name, kind, entry FROM "
          + "kt_entries WHERE name = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
        p.setString(1, name);
        p.setLong(2, below);
        p.setInt(3, limit);
        List<KeyLogRecord> newestFirst = new ArrayList<>(records(p));
        Collections.reverse(newestFirst);
        return List.copyOf(newestFirst);
      }
    });
  }

  @Override
  public List<UserName> usersWithoutEntries() {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM users u WHERE NOT EXISTS "
          + "(SELECT 1 FROM kt_entries k WHERE k.name = u.name) ORDER BY id");
          ResultSet r = p.executeQuery()) {
        List<UserName> out = new ArrayList<>();
        while (r.next()) {
          out.add(UserName.fromDatabase(r.getString(1)));
        }
        return List.copyOf(out);
      }
    });
  }

  @Override
  public Optional<KeyLogRecord> latestOfKinds(String name, long below, Set<Integer> kinds) {
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    String marks = String.join(", ", Collections.nCopies(kinds.size(), "?"));
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT seq, name, kind, entry FROM "
          + "kt_entries WHERE name = ? AND seq < ? AND kind IN (" + marks + ") "
          + "ORDER BY seq DESC LIMIT 1")) {
        p.setString(1, name);
        p.setLong(2, below);
        int i = 3;
        for (int kind : kinds) {
          p.setInt(i++, kind);
        }
        return records(p).stream().findFirst();
      }
    });
  }

  private static List<KeyLogRecord> records(PreparedStatement p) throws SQLException {
    try (ResultSet r = p.executeQuery()) {
      List<KeyLogRecord> out = new ArrayList<>();
      while (r.next()) {
        out.add(new KeyLogRecord(r.getLong(1), r.getString(2), r.getInt(3), r.getBytes(4)));
      }
      return List.copyOf(out);
    }
  }
}
