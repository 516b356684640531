package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A registered user: the binding of a name to an identity public key.
 *
 * @param name the user name
 * @param identityKey the identity public key (copied in and out)
 * @param createdAt when the user registered (millisecond precision)
 */
public record User(UserName name, byte[] identityKey, Instant createdAt) {
  public User {
    Objects.requireNonNull(name, "name");
    identityKey = identityKey.clone();
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A copy of the identity public key. */
  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof User u && name.equals(u.name)
        && Arrays.equals(identityKey, u.identityKey) && createdAt.equals(u.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(identityKey), createdAt);
  }

  @Override
  public String toString() {
    return "User[" + name + ", created " + createdAt + "]";
  }
}
