package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A KeyPackage handed out for a device.
 *
 * @param device the device it belongs to
 * @param keyPackage the encoded {@code MLSMessage} carrying the KeyPackage, opaque to the store
 *     (copied in and out)
 * @param lastResort whether it is the device's last-resort KeyPackage (handed out again and again)
 *     rather than a one-time one (handed out once)
 */
public record StoredKeyPackage(DeviceId device, byte[] keyPackage, boolean lastResort) {
  public StoredKeyPackage {
    Objects.requireNonNull(device, "device");
    keyPackage = keyPackage.clone();
  }

  /** A copy of the KeyPackage bytes. */
  @Override
  public byte[] keyPackage() {
    return keyPackage.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredKeyPackage k && device.equals(k.device)
        && Arrays.equals(keyPackage, k.keyPackage) && lastResort == k.lastResort;
  }

  @Override
  public int hashCode() {
    return Objects.hash(device, Arrays.hashCode(keyPackage), lastResort);
  }

  @Override
  public String toString() {
    return "StoredKeyPackage[" + device + ", " + keyPackage.length + " bytes"
        + (lastResort ? ", last resort" : "") + "]";
  }
}
