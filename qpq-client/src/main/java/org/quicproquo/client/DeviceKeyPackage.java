package org.quicproquo.client;

/** One device's KeyPackage as returned by {@code fetchKeyPackages}: bytes exactly as uploaded. */
public record DeviceKeyPackage(long deviceId, byte[] keyPackage, boolean lastResort) {
  public DeviceKeyPackage {
    keyPackage = keyPackage.clone();
  }

  @Override
  public byte[] keyPackage() {
    return keyPackage.clone();
  }
}
