package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device of a user: its signature key, certified by the user's identity key.
 *
 * @param id the store-assigned id
 * @param owner the user it belongs to
 * @param signatureKey the device's signature public key (copied in and out)
 * @param identityCertificate the identity key's certificate over the device key, opaque to the
 *     store (copied in and out)
 * @param createdAt when it was added (millisecond precision)
 * @param revoked whether it was revoked; a revoked device has no queue and no KeyPackages
 */
public record Device(DeviceId id, UserName owner, byte[] signatureKey, byte[] identityCertificate,
    Instant createdAt, boolean revoked) {
  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    signatureKey = signatureKey.clone();
    identityCertificate = identityCertificate.clone();
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A copy of the signature public key. */
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
    return o instanceof Device d && id.equals(d.id) && owner.equals(d.owner)
        && Arrays.equals(signatureKey, d.signatureKey)
        && Arrays.equals(identityCertificate, d.identityCertificate)
        && createdAt.equals(d.createdAt) && revoked == d.revoked;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, owner, Arrays.hashCode(signatureKey),
        Arrays.hashCode(identityCertificate), createdAt, revoked);
  }

  @Override
  public String toString() {
    return "Device[" + id + " of " + owner + (revoked ? ", revoked" : "") + "]";
  }
}
