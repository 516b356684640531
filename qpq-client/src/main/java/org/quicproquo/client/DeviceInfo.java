package org.quicproquo.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A device of the logged-in user as {@code listDevices} reports it.
 *
 * @param deviceId the server's id of the device
 * @param createdAtMillis when it was registered
 * @param revoked whether it was revoked (it can no longer log in)
 * @param current whether it is the device that asked
 * @param signatureKey its Ed25519 public key (copied in and out)
 */
public record DeviceInfo(long deviceId, long createdAtMillis, boolean revoked, boolean current,
    byte[] signatureKey) {
  public DeviceInfo {
    signatureKey = signatureKey.clone();
  }

  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceInfo d && deviceId == d.deviceId
        && createdAtMillis == d.createdAtMillis && revoked == d.revoked && current == d.current
        && Arrays.equals(signatureKey, d.signatureKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, createdAtMillis, revoked, current,
        Arrays.hashCode(signatureKey));
  }
}
