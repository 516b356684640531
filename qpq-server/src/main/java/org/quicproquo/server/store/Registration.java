package org.quicproquo.server.store;

import java.util.Objects;

/**
 * The result of registering: the new user and its first device.
 *
 * @param user the user
 * @param device the first device
 */
public record Registration(User user, Device device) {
  public Registration {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(device, "device");
  }
}
