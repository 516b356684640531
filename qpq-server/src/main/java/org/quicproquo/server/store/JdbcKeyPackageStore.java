package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link KeyPackageStore} on the shared JDBC schema. */
final class JdbcKeyPackageStore implements KeyPackageStore {
  private final Transactions tx;
  private final StoreLimits limits;
  private final Clock clock;

  JdbcKeyPackageStore(Transactions tx, StoreLimits limits, Clock clock) {
    this.tx = tx;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public void addOneTime(DeviceId device, List<byte[]> keyPackages) {
    Objects.requireNonNull(device, "device");
    if (keyPackages == null) {
      throw new InvalidValueException("KeyPackage list is missing");
    }
    InvalidValueException.checkCount("KeyPackage upload", keyPackages.size(), 1,
        limits.maxKeyPackagesPerUpload());
    for (byte[] kp : keyPackages) {
      InvalidValueException.checkLength("KeyPackage", kp, 1, limits.maxKeyPackageBytes());
    }
    long now = clock.millis();
    tx.write(c -> {
      requireActive(c, device);
      if (countOneTime(c, device) + keyPackages.size() > limits.maxKeyPackagesPerDevice()) {
        throw new QuotaExceededException(QuotaExceededException.Quota.KEY_PACKAGES,
            limits.maxKeyPackagesPerDevice(), device.toString());
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO key_packages (device_id, "
          + "last_resort, key_package, created_at) VALUES (?, FALSE, ?, ?)")) {
        for (byte[] kp : keyPackages) {
          p.setLong(1, device.value());
          p.setBytes(2, kp);
          p.setLong(3, now);
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  @Override
  public void setLastResort(DeviceId device, byte[] keyPackage) {
    Objects.requireNonNull(device, "device");
    InvalidValueException.checkLength("KeyPackage", keyPackage, 1, limits.maxKeyPackageBytes());
    long now = clock.millis();
    tx.write(c -> {
      requireActive(c, device);
      try (PreparedStatement p = c.prepareStatement(
          "DELETE FROM key_packages WHERE device_id = ? AND last_resort = TRUE")) {
        p.setLong(1, device.value());
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO key_packages (device_id, "
          + "last_resort, key_package, created_at) VALUES (?, TRUE, ?, ?)")) {
        p.setLong(1, device.value());
        p.setBytes(2, keyPackage);
        p.setLong(3, now);
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<StoredKeyPackage> take(DeviceId device) {
    Objects.requireNonNull(device, "device");
    return tx.write(c -> take(c, device));
  }

  @Override
  public List<StoredKeyPackage> takeForEachDevice(UserName owner) {
    Objects.requireNonNull(owner, "owner");
    return tx.write(c -> {
      List<DeviceId> devices = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT d.id FROM devices d JOIN users u "
          + "ON u.id = d.user_id WHERE u.name = ? AND NOT d.revoked ORDER BY d.id")) {
        p.setString(1, owner.value());
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            devices.add(new DeviceId(r.getLong(1)));
          }
        }
      }
      List<StoredKeyPackage> out = new ArrayList<>();
      for (DeviceId d : devices) {
        take(c, d).ifPresent(out::add);
      }
      return List.copyOf(out);
    });
  }

  @Override
  public int countOneTime(DeviceId device) {
    Objects.requireNonNull(device, "device");
    return tx.read(c -> countOneTime(c, device));
  }

  private Optional<StoredKeyPackage> take(Connection c, DeviceId device) throws SQLException {
    // one statement picks and deletes, so two concurrent takers never get the same one
    try (PreparedStatement p = c.prepareStatement("DELETE FROM key_packages WHERE id = ("
        + "SELECT id FROM key_packages WHERE device_id = ? AND last_resort = FALSE ORDER BY id "
        + "LIMIT 1" + tx.dialect().forUpdateSkipLocked() + ") RETURNING key_package")) {
      p.setLong(1, device.value());
      try (ResultSet r = p.executeQuery()) {
        if (r.next()) {
          return Optional.of(new StoredKeyPackage(device, r.getBytes(1), false));
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement(
        "SELECT key_package FROM key_packages WHERE device_id = ? AND last_resort = TRUE")) {
      p.setLong(1, device.value());
      try (ResultSet r = p.executeQuery()) {
        return r.next()
            ? Optional.of(new StoredKeyPackage(device, r.getBytes(1), true))
            : Optional.empty();
      }
    }
  }

  private static int countOneTime(Connection c, DeviceId device) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT COUNT(*) FROM key_packages WHERE device_id = ? AND last_resort = FALSE")) {
      p.setLong(1, device.value());
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  private void requireActive(Connection c, DeviceId device) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "SELECT revoked FROM devices WHERE id = ?" + tx.dialect().forUpdate())) {
      p.setLong(1, device.value());
      try (ResultSet r = p.executeQuery()) {
        if (!r.next() || r.getBoolean(1)) {
          throw new UnknownDeviceException(device);
        }
      }
    }
  }
}
