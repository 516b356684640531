package org.quicproquo.mls.vectors;

/** A recomputed value differs from the one in the vector; the message names the field. */
public final class VectorMismatch extends AssertionError {
  private static final long serialVersionUID = 1L;

  public VectorMismatch(String message) {
    super(message);
  }

  /** Throws unless {@code actual} equals {@code expected} (both hex). */
  public static void expectHex(String field, String expectedHex, byte[] actual) {
    String got = Hex.encode(actual);
    if (!got.equalsIgnoreCase(expectedHex)) {
      throw new VectorMismatch(field + ": expected " + expectedHex + " but got " + got);
    }
  }

  /** Throws unless the two values are equal. */
  public static void expect(String field, Object expected, Object actual) {
    if (!java.util.Objects.equals(expected, actual)) {
      throw new VectorMismatch(field + ": expected " + expected + " but got " + actual);
    }
  }
}
