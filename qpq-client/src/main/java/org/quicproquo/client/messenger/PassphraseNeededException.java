package org.quicproquo.client.messenger;

/** The account's keys are locked and no passphrase was given: ask the user for one and retry. */
public final class PassphraseNeededException extends MessengerException {
  private static final long serialVersionUID = 1L;

  public PassphraseNeededException(String message, Throwable cause) {
    super(message, cause);
  }
}
