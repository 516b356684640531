package org.quicproquo.server.store;

/** Registration failed because the user name is already bound to an identity key. */
public final class NameTakenException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final UserName name;

  NameTakenException(UserName name) {
    super("user name " + name + " is already registered");
    this.name = name;
  }

  /** The name that is taken. */
  public UserName name() {
    return name;
  }
}
