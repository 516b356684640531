package org.quicproquo.core.message;

import java.time.Instant;
import java.util.Objects;

/** Field checks shared by the {@link AppMessage} records. */
final class Checks {
  private Checks() {
  }

  static void header(MessageId id, Instant sentAt) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sentAt, "sentAt");
    // The wire carries milliseconds since the epoch as an unsigned integer.
    if (sentAt.isBefore(Instant.EPOCH) || sentAt.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("sentAt must be >= epoch with millisecond precision");
    }
    try {
      sentAt.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("sentAt is too far in the future");
    }
  }

  static void text(String value, String field, int minBytes, int maxBytes) {
    int length = Utf8.checkedLength(value, field);
    if (length < minBytes || length > maxBytes) {
      throw new IllegalArgumentException(field + " must be " + minBytes + " to " + maxBytes + " UTF-8 bytes");
    }
  }
}
