package org.quicproquo.server.store;

import java.util.List;
import java.util.Optional;

/**
 * KeyPackages per device: many one-time ones (each handed out once, oldest first) and at most one
 * last-resort one (handed out whenever no one-time one is left, and kept). Only active devices
 * have KeyPackages. Thread-safe; every method is one transaction, so two concurrent fetches never
 * receive the same one-time KeyPackage.
 */
public interface KeyPackageStore {
  /**
   * Stores one-time KeyPackages for a device.
   *
   * @throws UnknownDeviceException if the device does not exist or is revoked
   * @throws QuotaExceededException if the device would then hold more than
   *     {@link StoreLimits#maxKeyPackagesPerDevice()} (nothing is stored)
   * @throws InvalidValueException if the list is empty or longer than
   *     {@link StoreLimits#maxKeyPackagesPerUpload()}, or an entry is empty or too large
   */
  void addOneTime(DeviceId device, List<byte[]> keyPackages);

  /**
   * Sets the device's last-resort KeyPackage, replacing the previous one.
   *
   * @throws UnknownDeviceException if the device does not exist or is revoked
   * @throws InvalidValueException if the KeyPackage is empty or too large
   */
  void setLastResort(DeviceId device, byte[] keyPackage);

  /**
   * Hands out a KeyPackage of the device: the oldest one-time one, which is deleted, or else the
   * last-resort one, which is kept.
   *
   * @return empty if the device has none (or does not exist or is revoked)
   */
  Optional<StoredKeyPackage> take(DeviceId device);

  /**
   * Hands out one KeyPackage for each active device of a user, as {@link #take} does, in one
   * transaction.
   *
   * @return one entry per active device that has a KeyPackage, oldest device first; devices
   *     without any are left out; empty if the user does not exist
   */
  List<StoredKeyPackage> takeForEachDevice(UserName owner);

  /** How many one-time KeyPackages the device holds (0 for an unknown device). */
  int countOneTime(DeviceId device);
}
