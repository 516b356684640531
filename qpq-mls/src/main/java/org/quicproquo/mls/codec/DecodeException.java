package org.quicproquo.mls.codec;

import org.quicproquo.mls.MlsException;

/** Bytes that are not a valid TLS-presentation-language encoding of the expected struct. */
public final class DecodeException extends MlsException {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }
}
