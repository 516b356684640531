package org.quicproquo.core.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A user's Ed25519 identity public key (RFC 8032 encoding, 32 bytes): the long-term key the
 * server binds to the user name at registration and that certifies the user's devices.
 *
 * <p>Construction checks the length and that the bytes decode to a curve point. Immutable.
 */
public record IdentityKey(byte[] bytes) {
  /** Encoded length in bytes. */
  public static final int SIZE = Ed25519Keys.PUBLIC_KEY_SIZE;

  /** @throws IllegalArgumentException if not a valid Ed25519 public key (use {@link #of}) */
  public IdentityKey {
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
  public static IdentityKey of(byte[] bytes) throws InvalidIdentityException {
    String problem = Ed25519Keys.publicKeyProblem(bytes);
    if (problem != null) {
      throw new InvalidIdentityException(problem);
    }
    return new IdentityKey(bytes);
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
    return o instanceof IdentityKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "IdentityKey[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
