package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A client-chosen message id: exactly {@value #LENGTH} random bytes. Makes enqueue idempotent, so a
 * client may retry after a lost response without duplicating the message.
 *
 * @param bytes the id (copied in and out)
 */
public record MessageId(byte[] bytes) {
  /** Length of every message id. */
  public static final int LENGTH = 16;

  /** @throws InvalidValueException unless {@code bytes} has exactly {@value #LENGTH} bytes */
  public MessageId {
    InvalidValueException.checkLength("message id", bytes, LENGTH, LENGTH);
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
    return o instanceof MessageId m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "msg:" + HexFormat.of().formatHex(bytes);
  }
}
