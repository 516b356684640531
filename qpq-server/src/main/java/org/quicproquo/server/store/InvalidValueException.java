package org.quicproquo.server.store;

/**
 * A value is malformed or larger than {@link StoreLimits} allow. Always thrown before the
 * database is touched, so nothing was written.
 */
public final class InvalidValueException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names the value and the rule it broke. */
  public InvalidValueException(String message) {
    super(message);
  }

  static void checkLength(String what, byte[] value, int min, int max) {
    if (value == null) {
      throw new InvalidValueException(what + " is missing");
    }
    if (value.length < min || value.length > max) {
      throw new InvalidValueException(
          what + " has " + value.length + " bytes; allowed " + min + ".." + max);
    }
  }

  static void checkCount(String what, int count, int min, int max) {
    if (count < min || count > max) {
      throw new InvalidValueException(what + " has " + count + " entries; allowed " + min + ".." + max);
    }
  }
}
