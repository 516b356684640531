package org.quicproquo.mls.vectors;

/** A vector file that is not valid JSON of its kind's shape. */
public final class VectorFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public VectorFormatException(String message) {
    super(message);
  }

  public VectorFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
