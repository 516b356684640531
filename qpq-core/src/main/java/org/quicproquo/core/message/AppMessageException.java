package org.quicproquo.core.message;

import org.quicproquo.core.CoreException;

/** Application-message bytes that do not decode: truncated, malformed, or over a limit. */
public final class AppMessageException extends CoreException {
  private static final long serialVersionUID = 1L;

  /** A decoding error; the message says which check failed (never the content). */
  public AppMessageException(String message) {
    super(message);
  }

  /** A decoding error caused by the Cap'n Proto runtime rejecting the body. */
  public AppMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
