package org.quicproquo.core.message;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 16-byte identifier a sender picks at random for each application message. Receivers use it
 * to make re-delivery idempotent and to refer to a message (reply, reaction, edit, delete, read).
 */
public record MessageId(byte[] bytes) {
  /** Length in bytes. */
  public static final int SIZE = 16;

  /** @throws IllegalArgumentException unless exactly 16 bytes */
  public MessageId {
    if (bytes == null || bytes.length != SIZE) {
      throw new IllegalArgumentException("message id must be " + SIZE + " bytes");
    }
    bytes = bytes.clone();
  }

  /** A fresh random id. */
  public static MessageId random(SecureRandom random) {
    byte[] b = new byte[SIZE];
    random.nextBytes(b);
    return new MessageId(b);
  }

  /** A copy of the 16 bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
