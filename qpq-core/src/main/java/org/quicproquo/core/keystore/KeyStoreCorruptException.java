package org.quicproquo.core.keystore;

/**
 * The store is malformed or was modified: bad magic or version, impossible lengths or
 * parameters, a failed authentication tag or checksum, or content that does not decode.
 */
public final class KeyStoreCorruptException extends KeyStoreException {
  private static final long serialVersionUID = 1L;

  /** A corrupt or tampered store; the message says what was wrong. */
  public KeyStoreCorruptException(String message) {
    super(message);
  }
}
