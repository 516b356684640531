package org.quicproquo.core.keystore;

/** {@link LockedKeyStore#openUnlocked} was given a store that is locked by a passphrase. */
public final class PassphraseRequiredException extends KeyStoreException {
  private static final long serialVersionUID = 1L;

  /** The store needs a passphrase. */
  public PassphraseRequiredException() {
    super("the key store is locked by a passphrase");
  }
}
