package org.quicproquo.server.store;

/**
 * An MLS epoch ({@code uint64 epoch}, RFC 9420 §8.1). Values from 2^63 up are rejected: no group
 * gets there, and the store keeps epochs in signed 64-bit columns.
 *
 * @param value the epoch, at least zero
 */
public record Epoch(long value) {
  /** @throws InvalidValueException if {@code value < 0} */
  public Epoch {
    if (value < 0) {
      throw new InvalidValueException("epoch out of range: " + Long.toUnsignedString(value));
    }
  }

  /** The epoch after this one. @throws InvalidValueException at the end of the range */
  public Epoch next() {
    if (value == Long.MAX_VALUE) {
      throw new InvalidValueException("epoch " + value + " has no successor");
    }
    return new Epoch(value + 1);
  }

  @Override
  public String toString() {
    return "epoch " + value;
  }
}
