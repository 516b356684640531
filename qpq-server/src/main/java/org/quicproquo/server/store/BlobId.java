package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A blob's id: {@value #BYTES} random bytes chosen by the server. Knowing it is what lets a user
 * read the finished blob (a capability), so it is never logged in full.
 */
public record BlobId(byte[] bytes) {
  /** Length of every blob id. */
  public static final int BYTES = 16;

  /** @throws InvalidValueException unless {@code bytes} has exactly {@value #BYTES} bytes */
  public BlobId {
    InvalidValueException.checkLength("blob id", bytes, BYTES, BYTES);
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  /** Lower-case hex of the id: the blob's file name. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlobId b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Only a prefix: the full id is a read capability. */
  @Override
  public String toString() {
    return "blob " + hex().substring(0, 8) + "…";
  }
}
