package org.quicproquo.client.messenger;

/**
 * A messenger operation failed. The message is one sentence a user can act on (it is shown as is
 * by the REPL); the cause, if any, carries the technical detail.
 */
public class MessengerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MessengerException(String message) {
    super(message);
  }

  public MessengerException(String message, Throwable cause) {
    super(message, cause);
  }
}
