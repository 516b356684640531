package org.quicproquo.server.store;

/**
 * A device, assigned by the store when the device is added ({@link AccountStore}). Positive and
 * never reused, even after the device is revoked or its account deleted, so a stale id can never
 * reach someone else's queue.
 *
 * @param value the id, greater than zero
 */
public record DeviceId(long value) {
  /** @throws InvalidValueException if {@code value <= 0} */
  public DeviceId {
    if (value <= 0) {
      throw new InvalidValueException("device id must be positive, got " + value);
    }
  }

  @Override
  public String toString() {
    return "device#" + value;
  }
}
