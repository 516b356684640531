package org.quicproquo.mls;

/**
 * Root of every checked error the MLS library reports at its boundary. Subclasses say what kind of
 * input was rejected; a rejected input never changes group state.
 */
public class MlsException extends Exception {
  private static final long serialVersionUID = 1L;

  public MlsException(String message) {
    super(message);
  }

  public MlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
