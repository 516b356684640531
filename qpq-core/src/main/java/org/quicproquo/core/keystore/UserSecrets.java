package org.quicproquo.core.keystore;

import java.util.Objects;
import java.util.Optional;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.core.identity.UserName;

/**
 * The secret keys one device keeps for its user: the device signature key, and the identity key
 * if this device holds it (a device added later may only hold its own key and a certificate).
 *
 * <p>Equality compares the user and the public keys (the private keys determine them).
 *
 * @param user     whose keys these are
 * @param identity the identity key pair, if held on this device
 * @param device   this device's signature key pair
 */
public record UserSecrets(UserName user, Optional<IdentityKeyPair> identity, DeviceKeyPair device) {
  /** @throws NullPointerException on a null field */
  public UserSecrets {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(device, "device");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserSecrets other && user.equals(other.user)
        && identity.map(IdentityKeyPair::publicKey).equals(other.identity.map(IdentityKeyPair::publicKey))
        && device.publicKey().equals(other.device.publicKey());
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, identity.map(IdentityKeyPair::publicKey), device.publicKey());
  }
}
