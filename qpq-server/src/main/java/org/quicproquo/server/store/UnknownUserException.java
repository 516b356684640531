package org.quicproquo.server.store;

/** The operation names a user that is not registered. */
public final class UnknownUserException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final UserName name;

  UnknownUserException(UserName name) {
    super("no user " + name);
    this.name = name;
  }

  /** The unknown name. */
  public UserName name() {
    return name;
  }
}
