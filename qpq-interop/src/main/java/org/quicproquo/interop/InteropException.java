package org.quicproquo.interop;

/** Root of the errors of the interop driver: a peer that cannot start, answers badly, or a failed check. */
public class InteropException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error with a message. */
  public InteropException(String message) {
    super(message);
  }

  /** An error with a message and its cause. */
  public InteropException(String message, Throwable cause) {
    super(message, cause);
  }
}
