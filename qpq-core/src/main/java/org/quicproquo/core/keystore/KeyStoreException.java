package org.quicproquo.core.keystore;

import org.quicproquo.core.CoreException;

/** Root of the key store's errors: the bytes cannot be turned back into secrets. */
public class KeyStoreException extends CoreException {
  private static final long serialVersionUID = 1L;

  /** An error with a message naming the problem. */
  public KeyStoreException(String message) {
    super(message);
  }
}
