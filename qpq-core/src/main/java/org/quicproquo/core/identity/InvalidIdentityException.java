package org.quicproquo.core.identity;

import org.quicproquo.core.CoreException;

/** A user name, key or certificate that is malformed (bad syntax, bad length, invalid point). */
public final class InvalidIdentityException extends CoreException {
  private static final long serialVersionUID = 1L;

  /** An invalid identity value; the message says which rule it broke. */
  public InvalidIdentityException(String message) {
    super(message);
  }
}
