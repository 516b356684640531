package org.quicproquo.core.keystore;

/**
 * The passphrase does not unlock the store. A store whose salt or cost parameters were altered
 * also ends up here: both only show as a key that does not match the stored check value.
 */
public final class WrongPassphraseException extends KeyStoreException {
  private static final long serialVersionUID = 1L;

  /** Wrong passphrase. */
  public WrongPassphraseException() {
    super("wrong passphrase");
  }
}
