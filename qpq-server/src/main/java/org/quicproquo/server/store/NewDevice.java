package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a client supplies to add a device; the store assigns the id and creation time.
 *
 * @param signatureKey the device's signature public key (copied in and out)
 * @param identityCertificate the identity key's certificate over it (copied in and out)
 */
public record NewDevice(byte[] signatureKey, byte[] identityCertificate) {
  public NewDevice {
    signatureKey = Objects.requireNonNull(signatureKey, "signatureKey").clone();
    identityCertificate = Objects.requireNonNull(identityCertificate, "identityCertificate").clone();
  }

  /** A copy of the signature key. */
  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  /** A copy of the certificate. */
  @Override
  public byte[] identityCertificate() {
    return identityCertificate.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NewDevice d && Arrays.equals(signatureKey, d.signatureKey)
        && Arrays.equals(identityCertificate, d.identityCertificate);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(signatureKey) + Arrays.hashCode(identityCertificate);
  }

  @Override
  public String toString() {
    return "NewDevice[" + signatureKey.length + "-byte key]";
  }
}
