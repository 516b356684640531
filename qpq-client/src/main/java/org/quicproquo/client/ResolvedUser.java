package org.quicproquo.client;

import java.util.List;

/** {@code resolveUser}'s answer: the identity key and active devices, as the server claims them. */
public record ResolvedUser(String name, byte[] identityKey, List<DeviceEntry> devices) {
  public ResolvedUser {
    identityKey = identityKey.clone();
    devices = List.copyOf(devices);
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }
}
