package org.quicproquo.core;

/**
 * Root of the checked exceptions thrown by qpq-core: every rejection of untrusted bytes or of
 * invalid input is a subclass, so a caller can catch the module's errors in one place.
 */
public class CoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error with a message for logs (never contains secret material). */
  public CoreException(String message) {
    super(message);
  }

  /** An error caused by another exception. */
  public CoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
