package org.quicproquo.core.padding;

import org.quicproquo.core.CoreException;

/** Padded bytes that are not in {@link Padding}'s canonical form, or a payload too large to pad. */
public final class PaddingException extends CoreException {
  private static final long serialVersionUID = 1L;

  /** A padding error; the message says which check failed. */
  public PaddingException(String message) {
    super(message);
  }
}
