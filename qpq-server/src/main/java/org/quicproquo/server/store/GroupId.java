package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An MLS group id ({@code opaque group_id<V>}, RFC 9420 §8.1), read from the cleartext header of
 * handshake messages. Opaque to the server; bounded to {@value #MAX_LENGTH} bytes.
 *
 * @param bytes the id, 1..{@value #MAX_LENGTH} bytes (copied in and out)
 */
public record GroupId(byte[] bytes) {
  /** Longest accepted group id. */
  public static final int MAX_LENGTH = 255;

  /** @throws InvalidValueException if empty or longer than {@value #MAX_LENGTH} bytes */
  public GroupId {
    InvalidValueException.checkLength("group id", bytes, 1, MAX_LENGTH);
    bytes = bytes.clone();
  }

  /** A copy of the id. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupId g && Arrays.equals(bytes, g.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "group:" + HexFormat.of().formatHex(bytes);
  }
}
