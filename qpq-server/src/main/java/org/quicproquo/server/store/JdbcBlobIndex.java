package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link BlobIndex} on the shared JDBC schema (table {@code blobs}, migration V3). */
final class JdbcBlobIndex implements BlobIndex {
  private static final String COLUMNS = "id, owner, size, chunk_size, chunk_count, received, "
      + "received_count, finished, created_at, expires_at";

  private final Transactions tx;
  private final Clock clock;

  JdbcBlobIndex(Transactions tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public void create(BlobId id, UserName owner, long size, int chunkSize, int chunkCount,
      Instant expiresAt, long maxUserBytes) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    if (size < 1 || chunkSize < 1 || chunkCount < 1
        || (long) chunkCount * chunkSize < size || (long) (chunkCount - 1) * chunkSize >= size) {
      throw new InvalidValueException("inconsistent blob geometry");
    }
    long now = clock.millis();
    tx.write(c -> {
      long used = bytesOf(c, owner);
      if (used + size > maxUserBytes) {
        throw new QuotaExceededException(QuotaExceededException.Quota.BLOB_STORAGE, maxUserBytes,
            "user " + owner.value() + " (holds " + used + " bytes, asked for " + size + ")");
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO blobs (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, 0, FALSE, ?, ?)")) {
        p.setBytes(1, id.unsafeBytes());
        p.setString(2, owner.value());
        p.setLong(3, size);
        p.setInt(4, chunkSize);
        p.setInt(5, chunkCount);
        p.setBytes(6, new byte[(chunkCount + 7) / 8]);
        p.setLong(7, now);
        p.setLong(8, expiresAt.toEpochMilli());
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<BlobRecord> find(BlobId id) {
    Objects.requireNonNull(id, "id");
    return tx.read(c -> find(c, id));
  }

  @Override
  public Optional<BlobRecord> markReceived(BlobId id, BitSet chunks) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(chunks, "chunks");
    BitSet marks = (BitSet) chunks.clone();
    return tx.write(c -> {
      Optional<BlobRecord> found = find(c, id);
      if (found.isEmpty() || found.get().finished()) {
        return Optional.empty();
      }
      BlobRecord b = found.get();
      if (marks.length() > b.chunkCount()) {
        throw new InvalidValueException("chunk index " + (marks.length() - 1) + " outside 0.."
            + (b.chunkCount() - 1));
      }
      byte[] bits = b.received();
      int added = 0;
      for (int i = marks.nextSetBit(0); i >= 0; i = marks.nextSetBit(i + 1)) {
        if (!b.has(i)) {
          bits[i >>> 3] |= (byte) (1 << (i & 7));
          added++;
        }
      }
      if (added == 0) {
        return found;
      }
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE blobs SET received = ?, received_count = received_count + ? WHERE id = ?")) {
        p.setBytes(1, bits);
        p.setInt(2, added);
        p.setBytes(3, id.unsafeBytes());
        p.executeUpdate();
      }
      return Optional.of(new BlobRecord(b.id(), b.owner(), b.size(), b.chunkSize(),
          b.chunkCount(), bits, b.receivedCount() + added, false, b.createdAt(), b.expiresAt()));
    });
  }

  @Override
  public boolean finish(BlobId id) {
    Objects.requireNonNull(id, "id");
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE blobs SET finished = TRUE "
          + "WHERE id = ? AND received_count = chunk_count")) {
        p.setBytes(1, id.unsafeBytes());
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean delete(BlobId id) {
    Objects.requireNonNull(id, "id");
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM blobs WHERE id = ?")) {
        p.setBytes(1, id.unsafeBytes());
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public long bytesOf(UserName owner) {
    Objects.requireNonNull(owner, "owner");
    return tx.read(c -> bytesOf(c, owner));
  }

  @Override
  public List<BlobId> ownedBy(UserName owner) {
    Objects.requireNonNull(owner, "owner");
    return tx.read(c -> {
      List<BlobId> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM blobs WHERE owner = ?")) {
        p.setString(1, owner.value());
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(new BlobId(r.getBytes(1)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<BlobId> stale(Instant now, Instant unfinishedBefore, int limit) {
    return tx.read(c -> {
      List<BlobId> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM blobs WHERE expires_at <= ? "
          + "OR (finished = FALSE AND created_at < ?) "
          + "OR NOT EXISTS (SELECT 1 FROM users WHERE users.name = blobs.owner) LIMIT ?")) {
        p.setLong(1, now.toEpochMilli());
        p.setLong(2, unfinishedBefore.toEpochMilli());
        p.setInt(3, limit);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(new BlobId(r.getBytes(1)));
          }
        }
      }
      return out;
    });
  }

  private static long bytesOf(Connection c, UserName owner) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM blobs WHERE owner = ?")) {
      p.setString(1, owner.value());
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private static Optional<BlobRecord> find(Connection c, BlobId id) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT " + COLUMNS + " FROM blobs WHERE id = ?")) {
      p.setBytes(1, id.unsafeBytes());
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(new BlobRecord(new BlobId(r.getBytes(1)), UserName.of(r.getString(2)),
            r.getLong(3), r.getInt(4), r.getInt(5), r.getBytes(6), r.getInt(7),
            r.getBoolean(8), Instant.ofEpochMilli(r.getLong(9)),
            Instant.ofEpochMilli(r.getLong(10))));
      }
    }
  }
}
