package org.quicproquo.mls.tree;

import org.quicproquo.mls.MlsException;

/**
 * A ratchet tree, leaf node, key package or update path broke a validity rule of RFC 9420 (§7.3,
 * §7.9.2, §10.1, §12.4.3.1). The message names the rule that failed.
 */
public final class InvalidTreeException extends MlsException {
  private static final long serialVersionUID = 1L;

  public InvalidTreeException(String message) {
    super(message);
  }

  public InvalidTreeException(String message, Throwable cause) {
    super(message, cause);
  }
}
