package org.quicproquo.client.kt;

import org.quicproquo.client.messenger.MessengerException;

/**
 * A key-transparency check failed: the server's log data does not prove what the server claims.
 * Carries the {@link KtAlert} that was also sent to the alert listener.
 */
public final class KtVerificationException extends MessengerException {
  private static final long serialVersionUID = 1L;

  private final transient KtAlert alert;

  /** The exception for {@code alert}; {@code cause} is the failed check, if any. */
  public KtVerificationException(KtAlert alert, Throwable cause) {
    super(alert.describe(), cause);
    this.alert = alert;
  }

  /** What was found. */
  public KtAlert alert() {
    return alert;
  }
}
