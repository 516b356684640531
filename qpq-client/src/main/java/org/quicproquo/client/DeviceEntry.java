package org.quicproquo.client;

/** An active device of a user: its id, Ed25519 signature key and the identity key's certificate. */
public record DeviceEntry(long deviceId, byte[] signatureKey, byte[] certificate) {
  public DeviceEntry {
    signatureKey = signatureKey.clone();
    certificate = certificate.clone();
  }

  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }
}
