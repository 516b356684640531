package org.quicproquo.mls.crypto;

import org.quicproquo.mls.MlsException;

/** A cryptographic check failed: AEAD tag, HPKE decapsulation, malformed key or point. */
public final class CryptoException extends MlsException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
