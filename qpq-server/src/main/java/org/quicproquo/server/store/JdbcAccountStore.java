package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link AccountStore} on the shared JDBC schema. */
final class JdbcAccountStore implements AccountStore {
  private static final String DEVICE_COLUMNS = "SELECT d.id, u.name, d.signature_key, "
      + "d.identity_certificate, d.created_at, d.revoked FROM devices d "
      + "JOIN users u ON u.id = d.user_id ";

  private final Transactions tx;
  private final StoreLimits limits;
  private final Clock clock;

  JdbcAccountStore(Transactions tx, StoreLimits limits, Clock clock) {
    this.tx = tx;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Registration register(UserName name, byte[] identityKey, NewDevice firstDevice) {
    InvalidValueException.checkLength("identity key", identityKey, 1, limits.maxPublicKeyBytes());
    checkDevice(firstDevice);
    Instant now = now();
    return tx.write(c -> {
      long userId;
      try (PreparedStatement p = c.prepareStatement("INSERT INTO users (name, identity_key, "
          + "created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
        p.setString(1, name.value());
        p.setBytes(2, identityKey);
        p.setLong(3, now.toEpochMilli());
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return repeatedRegistration(c, name, identityKey, firstDevice)
                .orElseThrow(() -> new NameTakenException(name));
          }
          userId = r.getLong(1);
        }
      }
      Device device = insertDevice(c, userId, name, firstDevice, now);
      return new Registration(new User(name, identityKey, now), device);
    });
  }

  /**
   * The registration made earlier with exactly these keys, if the name's only device is that
   * first device and it is live: a client that crashed after the server registered it, before
   * it wrote down its device id, asks again and gets the same answer. Nothing is revealed that
   * resolveUser does not show, and nothing is created.
   */
  private Optional<Registration> repeatedRegistration(Connection c, UserName name,
      byte[] identityKey, NewDevice firstDevice) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(DEVICE_COLUMNS + "WHERE u.name = ? ORDER BY d.id")) {
      p.setString(1, name.value());
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        Device first = device(r);
        boolean onlyDevice = !r.next();
        User user = findUserIn(c, name).orElseThrow();
        if (onlyDevice && !first.revoked()
            && Arrays.equals(user.identityKey(), identityKey)
            && Arrays.equals(first.signatureKey(), firstDevice.signatureKey())
            && Arrays.equals(first.identityCertificate(), firstDevice.identityCertificate())) {
          return Optional.of(new Registration(user, first));
        }
        return Optional.empty();
      }
    }
  }

  @Override
  public Optional<User> findUser(UserName name) {
    return tx.read(c -> findUserIn(c, name));
  }

  private static Optional<User> findUserIn(Connection c, UserName name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT identity_key, created_at FROM users WHERE name = ?")) {
      p.setString(1, name.value());
      try (ResultSet r = p.executeQuery()) {
        return r.next()
            ? Optional.of(new User(name, r.getBytes(1), Instant.ofEpochMilli(r.getLong(2))))
            : Optional.empty();
      }
    }
  }

  @Override
  public Device addDevice(UserName owner, NewDevice device) {
    checkDevice(device);
    Instant now = now();
    return tx.write(c -> {
      long userId = userId(c, owner).orElseThrow(() -> new UnknownUserException(owner));
      try (PreparedStatement p = c.prepareStatement(
          "SELECT COUNT(*) FROM devices WHERE user_id = ? AND NOT revoked")) {
        p.setLong(1, userId);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          if (r.getInt(1) >= limits.maxDevicesPerUser()) {
            throw new QuotaExceededException(QuotaExceededException.Quota.DEVICES,
                limits.maxDevicesPerUser(), owner.value());
          }
        }
      }
      return insertDevice(c, userId, owner, device, now);
    });
  }

  @Override
  public Optional<Device> findDevice(DeviceId id) {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement(DEVICE_COLUMNS + "WHERE d.id = ?")) {
        p.setLong(1, id.value());
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(device(r)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean isActive(DeviceId id) {
    Objects.requireNonNull(id, "id");
    return tx.read(c -> {
      // a device row exists only while its user does (ON DELETE CASCADE)
      PreparedStatement p = tx.prepared(c, "SELECT revoked FROM devices WHERE id = ?");
      p.setLong(1, id.value());
      try (ResultSet r = p.executeQuery()) {
        return r.next() && !r.getBoolean(1);
      }
    });
  }

  @Override
  public List<Device> activeDevices(UserName owner) {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          DEVICE_COLUMNS + "WHERE u.name = ? AND NOT d.revoked ORDER BY d.id")) {
        p.setString(1, owner.value());
        try (ResultSet r = p.executeQuery()) {
          List<Device> out = new ArrayList<>();
          while (r.next()) {
            out.add(device(r));
          }
          return List.copyOf(out);
        }
      }
    });
  }

  @Override
  public List<Device> allDevices(UserName owner) {
    return tx.read(c -> {
      try (PreparedStatement p = c.prepareStatement(
          DEVICE_COLUMNS + "WHERE u.name = ? ORDER BY d.id")) {
        p.setString(1, owner.value());
        try (ResultSet r = p.executeQuery()) {
          List<Device> out = new ArrayList<>();
          while (r.next()) {
            out.add(device(r));
          }
          return List.copyOf(out);
        }
      }
    });
  }

  @Override
  public boolean revokeDevice(DeviceId id) {
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE devices SET revoked = TRUE, queued = 0 WHERE id = ? AND NOT revoked")) {
        p.setLong(1, id.value());
        if (p.executeUpdate() == 0) {
          return false;
        }
      }
      for (String table : new String[] {"key_packages", "queue", "delivered"}) {
        try (PreparedStatement p = c.prepareStatement(
            "DELETE FROM " + table + " WHERE device_id = ?")) {
          p.setLong(1, id.value());
          p.executeUpdate();
        }
      }
      return true;
    });
  }

  @Override
  public boolean deleteUser(UserName name) {
    // devices, KeyPackages, queues and remembered ids go by ON DELETE CASCADE
    return tx.write(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
        p.setString(1, name.value());
        return p.executeUpdate() > 0;
      }
    });
  }

  /** The user's row id, locking the row until the transaction ends where the engine has locks. */
  Optional<Long> userId(Connection c, UserName name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id FROM users WHERE name = ?" + tx.dialect().forUpdate())) {
      p.setString(1, name.value());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    }
  }

  private Device insertDevice(Connection c, long userId, UserName owner, NewDevice device,
      Instant now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO devices (user_id, signature_key, "
        + "identity_certificate, created_at) VALUES (?, ?, ?, ?) RETURNING id")) {
      p.setLong(1, userId);
      p.setBytes(2, device.signatureKey());
      p.setBytes(3, device.identityCertificate());
      p.setLong(4, now.toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return new Device(new DeviceId(r.getLong(1)), owner, device.signatureKey(),
            device.identityCertificate(), now, false);
      }
    }
  }

  private void checkDevice(NewDevice device) {
    if (device == null) {
      throw new InvalidValueException("device is missing");
    }
    InvalidValueException.checkLength("device signature key", device.signatureKey(), 1,
        limits.maxPublicKeyBytes());
    InvalidValueException.checkLength("identity certificate", device.identityCertificate(), 1,
        limits.maxCertificateBytes());
  }

  private static Device device(ResultSet r) throws SQLException {
    return new Device(new DeviceId(r.getLong(1)), UserName.fromDatabase(r.getString(2)),
        r.getBytes(3), r.getBytes(4), Instant.ofEpochMilli(r.getLong(5)), r.getBoolean(6));
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }
}
