package org.quicproquo.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Users (name to identity key) and their devices. Thread-safe. Every method is one transaction.
 */
public interface AccountStore {
  /**
   * Registers {@code name} with its identity key and first device, atomically. Asking again
   * with exactly the same keys and certificate while that first device is the name's only,
   * live device returns the same registration (a client may crash before it stores the answer).
   *
   * @throws NameTakenException if the name is registered already otherwise (nothing is changed)
   * @throws InvalidValueException if a key or certificate is empty or too large
   */
  Registration register(UserName name, byte[] identityKey, NewDevice firstDevice);

  /** The user registered under {@code name}; empty if there is none. */
  Optional<User> findUser(UserName name);

  /**
   * Adds a device to an existing user.
   *
   * @throws UnknownUserException if the user does not exist
   * @throws QuotaExceededException if the user already has
   *     {@link StoreLimits#maxDevicesPerUser()} active devices
   * @throws InvalidValueException if the key or certificate is empty or too large
   */
  Device addDevice(UserName owner, NewDevice device);

  /** The device with this id, revoked or not; empty if there never was one or its user is gone. */
  Optional<Device> findDevice(DeviceId id);

  /**
   * Whether the device exists and is not revoked: what {@link #findDevice} would say, without
   * reading the device's keys and name. Made on every authorised call, so it is one primary-key
   * look-up.
   */
  boolean isActive(DeviceId id);

  /**
   * The user's active (not revoked) devices, oldest first; empty if the user does not exist or has
   * no active device.
   */
  List<Device> activeDevices(UserName owner);

  /**
   * Every device of the user, revoked ones included, oldest first; empty if the user does not
   * exist.
   */
  List<Device> allDevices(UserName owner);

  /**
   * Revokes a device: marks it revoked and deletes its queue and KeyPackages. The id is never
   * reused.
   *
   * @return {@code true} if the device was active, {@code false} if it was already revoked or does
   *     not exist
   */
  boolean revokeDevice(DeviceId id);

  /**
   * Deletes a user and every row keyed by it: devices, queues, KeyPackages, remembered ids.
   *
   * @return {@code false} if there was no such user
   */
  boolean deleteUser(UserName name);
}
