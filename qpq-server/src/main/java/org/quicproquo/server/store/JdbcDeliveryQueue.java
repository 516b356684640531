package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link DeliveryQueue} on the shared JDBC schema. A device row carries its queue's last seq and
 * length, so an enqueue costs two indexed look-ups and two batched writes per recipient, whatever
 * the queue length. Every statement of enqueue, fetch, ack and length is compiled once per
 * connection ({@link Transactions#prepared}), not once per call.
 */
final class JdbcDeliveryQueue implements DeliveryQueue {
  private final Transactions tx;
  private final StoreLimits limits;
  private final Clock clock;

  /** Prepared once per connection (see {@link Transactions#prepared}). */
  private final String deviceSql;

  private static final String SEEN = "SELECT 1 FROM queue WHERE device_id = ? AND message_id = ? "
      + "UNION ALL SELECT 1 FROM delivered WHERE device_id = ? AND message_id = ?";
  private static final String BUMP =
      "UPDATE devices SET next_seq = ?, queued = queued + 1 WHERE id = ?";
  private static final String INSERT = "INSERT INTO queue (device_id, seq, message_id, payload, "
      + "enqueued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String FETCH = "SELECT seq, message_id, payload, enqueued_at, expires_at "
      + "FROM queue WHERE device_id = ? AND seq > ? AND (expires_at IS NULL OR expires_at > ?) "
      + "ORDER BY seq LIMIT ?";
  private static final String REMEMBER = "INSERT INTO delivered (device_id, message_id, done_at) "
      + "SELECT device_id, message_id, ? FROM queue WHERE device_id = ? AND message_id = ? "
      + "ON CONFLICT (device_id, message_id) DO NOTHING";
  private static final String DELETE = "DELETE FROM queue WHERE device_id = ? AND message_id = ?";
  private static final String SHRINK = "UPDATE devices SET queued = queued - ? WHERE id = ?";
  private static final String OTHER =
      "SELECT 1 FROM queue WHERE message_id = ? AND device_id <> ? LIMIT 1";
  private static final String LENGTH = "SELECT queued FROM devices WHERE id = ?";

  JdbcDeliveryQueue(Transactions tx, StoreLimits limits, Clock clock) {
    this.tx = tx;
    this.limits = limits;
    this.clock = clock;
    this.deviceSql = "SELECT next_seq, queued, revoked FROM devices WHERE id = ?"
        + tx.dialect().forUpdate();
  }

  @Override
  public Enqueued enqueue(MessageId id, List<DeviceId> recipients, byte[] payload,
      Optional<Instant> expiresAt) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (recipients == null) {
      throw new InvalidValueException("recipient list is missing");
    }
    InvalidValueException.checkCount("recipient list", recipients.size(), 1,
        limits.maxRecipients());
    for (DeviceId r : recipients) {
      if (r == null) {
        throw new InvalidValueException("recipient list has a missing entry");
      }
    }
    if (new HashSet<>(recipients).size() != recipients.size()) {
      throw new InvalidValueException("recipient list has duplicates");
    }
    InvalidValueException.checkLength("payload", payload, 1, limits.maxPayloadBytes());
    long now = clock.millis();
    return tx.write(c -> {
      List<DeviceId> queued = new ArrayList<>();
      List<DeviceId> duplicates = new ArrayList<>();
      java.util.Map<DeviceId, Integer> lengths = new java.util.HashMap<>();
      java.util.Map<DeviceId, Long> seqs = new java.util.HashMap<>();
      PreparedStatement device = tx.prepared(c, deviceSql);
      PreparedStatement seen = tx.prepared(c, SEEN);
      PreparedStatement bump = tx.prepared(c, BUMP);
      PreparedStatement insert = tx.prepared(c, INSERT);
      for (DeviceId r : recipients) {
        long seq;
        int length;
        device.setLong(1, r.value());
        try (ResultSet row = device.executeQuery()) {
          if (!row.next() || row.getBoolean(3)) {
            throw new UnknownDeviceException(r);
          }
          seq = row.getLong(1) + 1;
          length = row.getInt(2);
        }
        if (seen(seen, r, id)) {
          duplicates.add(r);
          continue;
        }
        if (length >= limits.maxQueueLength()) {
          throw new QuotaExceededException(QuotaExceededException.Quota.QUEUE_LENGTH,
              limits.maxQueueLength(), r.toString());
        }
        bump.setLong(1, seq);
        bump.setLong(2, r.value());
        bump.addBatch();
        insert.setLong(1, r.value());
        insert.setLong(2, seq);
        insert.setBytes(3, id.unsafeBytes());
        insert.setBytes(4, payload);
        insert.setLong(5, now);
        if (expiresAt.isPresent()) {
          insert.setLong(6, expiresAt.get().toEpochMilli());
        } else {
          insert.setNull(6, Types.BIGINT);
        }
        insert.addBatch();
        queued.add(r);
        lengths.put(r, length + 1);
        seqs.put(r, seq);
      }
      if (!queued.isEmpty()) {
        bump.executeBatch();
        insert.executeBatch();
      }
      return new Enqueued(queued, duplicates, lengths, seqs, now);
    });
  }

  @Override
  public List<QueuedMessage> fetch(DeviceId device, long afterSeq, int limit) {
    Objects.requireNonNull(device, "device");
    if (afterSeq < 0) {
      throw new InvalidValueException("afterSeq must not be negative: " + afterSeq);
    }
    InvalidValueException.checkCount("fetch limit", limit, 1, limits.maxFetch());
    long now = clock.millis();
    return tx.read(c -> {
      PreparedStatement p = tx.prepared(c, FETCH);
      p.setLong(1, device.value());
      p.setLong(2, afterSeq);
      p.setLong(3, now);
      p.setInt(4, limit);
      try (ResultSet r = p.executeQuery()) {
        List<QueuedMessage> out = new ArrayList<>();
        while (r.next()) {
          long expires = r.getLong(5);
          Optional<Instant> expiry = r.wasNull()
              ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expires));
          out.add(new QueuedMessage(r.getLong(1), new MessageId(r.getBytes(2)), r.getBytes(3),
              Instant.ofEpochMilli(r.getLong(4)), expiry));
        }
        return List.copyOf(out);
      }
    });
  }

  @Override
  public int ack(DeviceId device, Collection<MessageId> ids) {
    Objects.requireNonNull(device, "device");
    if (ids == null) {
      throw new InvalidValueException("id list is missing");
    }
    InvalidValueException.checkCount("ack", ids.size(), 0, limits.maxFetch());
    if (ids.isEmpty()) {
      return 0;
    }
    List<MessageId> distinct = List.copyOf(new HashSet<>(ids));
    long now = clock.millis();
    return tx.write(c -> {
      refuseForeign(c, device, distinct);
      if (!limits.dedupeWindow().isZero()) {
        PreparedStatement remember = tx.prepared(c, REMEMBER);
        for (MessageId id : distinct) {
          remember.setLong(1, now);
          remember.setLong(2, device.value());
          remember.setBytes(3, id.unsafeBytes());
          remember.addBatch();
        }
        remember.executeBatch();
      }
      int deleted = 0;
      PreparedStatement delete = tx.prepared(c, DELETE);
      for (MessageId id : distinct) {
        delete.setLong(1, device.value());
        delete.setBytes(2, id.unsafeBytes());
        delete.addBatch();
      }
      for (int n : delete.executeBatch()) {
        deleted += Math.max(n, 0);
      }
      if (deleted > 0) {
        PreparedStatement p = tx.prepared(c, SHRINK);
        p.setInt(1, deleted);
        p.setLong(2, device.value());
        p.executeUpdate();
      }
      return deleted;
    });
  }

  /** Whether {@code id} is queued for, or was delivered to, {@code device} ({@link #SEEN}). */
  private static boolean seen(PreparedStatement seen, DeviceId device, MessageId id)
      throws SQLException {
    seen.setLong(1, device.value());
    seen.setBytes(2, id.unsafeBytes());
    seen.setLong(3, device.value());
    seen.setBytes(4, id.unsafeBytes());
    try (ResultSet r = seen.executeQuery()) {
      return r.next();
    }
  }

  /** Throws if an id was never this device's but is pending for another (see {@link #ack}). */
  private void refuseForeign(Connection c, DeviceId device, List<MessageId> ids)
      throws SQLException {
    PreparedStatement own = tx.prepared(c, SEEN);
    PreparedStatement other = tx.prepared(c, OTHER);
    for (MessageId id : ids) {
      if (seen(own, device, id)) {
        continue;
      }
      other.setBytes(1, id.unsafeBytes());
      other.setLong(2, device.value());
      try (ResultSet r = other.executeQuery()) {
        if (r.next()) {
          throw new NotRecipientException(device, id);
        }
      }
    }
  }

  @Override
  public int length(DeviceId device) {
    Objects.requireNonNull(device, "device");
    return tx.read(c -> {
      PreparedStatement p = tx.prepared(c, LENGTH);
      p.setLong(1, device.value());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getInt(1) : 0;
      }
    });
  }

  @Override
  public int purgeExpired(Instant now) {
    Objects.requireNonNull(now, "now");
    long nowMillis = now.toEpochMilli();
    long forgetBefore = now.minus(limits.dedupeWindow()).toEpochMilli();
    return tx.write(c -> {
      // expired ids are remembered like acknowledged ones, so a retry cannot resurrect them
      if (!limits.dedupeWindow().isZero()) {
        update(c, "INSERT INTO delivered (device_id, message_id, done_at) SELECT device_id, "
            + "message_id, ? FROM queue WHERE expires_at <= ? "
            + "ON CONFLICT (device_id, message_id) DO NOTHING", nowMillis, nowMillis);
      }
      update(c, "UPDATE devices SET queued = queued - (SELECT COUNT(*) FROM queue q "
          + "WHERE q.device_id = devices.id AND q.expires_at <= ?) "
          + "WHERE id IN (SELECT device_id FROM queue WHERE expires_at <= ?)", nowMillis, nowMillis);
      int purged = update(c, "DELETE FROM queue WHERE expires_at <= ?", nowMillis);
      update(c, "DELETE FROM delivered WHERE done_at < ?", forgetBefore);
      return purged;
    });
  }

  private static int update(Connection c, String sql, long... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setLong(i + 1, args[i]);
      }
      return p.executeUpdate();
    }
  }
}
