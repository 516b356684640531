package org.quicproquo.core.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A device's Ed25519 signature public key (RFC 8032 encoding, 32 bytes), certified by the
 * user's identity key in a device certificate ({@link AuthTranscripts#deviceCertificate}); it is also the device's MLS signature key.
 *
 * <p>Construction checks the length and that the bytes decode to a curve point. Immutable.
 */
public record DevicePublicKey(byte[] bytes) {
  /** Encoded length in bytes. */
  public static final int SIZE = Ed25519Keys.PUBLIC_KEY_SIZE;

  /** @throws IllegalArgumentException if not a valid Ed25519 public key (use {@link #of}) */
  public DevicePublicKey {
    String problem = Ed25519Keys.publicKeyProblem(bytes);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    bytes = bytes.clone();
  }

  /**
   * Reads an untrusted encoding.
   *
   * @throws InvalidIdentityException if the length is wrong or the bytes are not a curve point
   */
  public static DevicePublicKey of(byte[] bytes) throws InvalidIdentityException {
    String problem = Ed25519Keys.publicKeyProblem(bytes);
    if (problem != null) {
      throw new InvalidIdentityException(problem);
    }
    return new DevicePublicKey(bytes);
  }

  /** A copy of the 32 key bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether {@code signature} is a valid Ed25519 signature of {@code message}; never throws. */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519Keys.verify(bytes, message, signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DevicePublicKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "DevicePublicKey[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
