package org.quicproquo.client.messenger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.quicproquo.client.DeviceEntry;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.ResolvedUser;
import org.quicproquo.client.kt.KeyTransparencyClient;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.IdentityKey;

/**
 * Who is who: resolves users through the server and trusts nothing it says without checking.
 * Every resolved identity key must be the key-transparency log's latest for the name
 * ({@link KeyTransparencyClient#checkResolved}); it is pinned on first sight (trust on first use)
 * and a different key afterwards is refused loudly; a device counts only if the
 * identity key certified it (docs/wire.md "Device certificate").
 */
final class Directory {
  private final NodeClient node;
  private final Messenger rpc;
  private final LocalStore store;
  private final Consumer<String> warnings;
  private final KeyTransparencyClient kt;
  private final Map<String, List<DeviceEntry>> devices = new HashMap<>();

  Directory(NodeClient node, Messenger rpc, LocalStore store, Consumer<String> warnings,
      KeyTransparencyClient kt) {
    this.node = node;
    this.kt = kt;
    this.rpc = rpc;
    this.store = store;
    this.warnings = warnings;
  }

  /** The certified devices of {@code name}, resolved now. */
  List<DeviceEntry> refresh(String name) {
    ResolvedUser user;
    try {
      user = rpc.await(node.resolveUser(name), "look up " + name);
    } catch (MessengerException e) {
      if (e.getCause() instanceof org.quicproquo.rpc.RpcException r
          && "UNKNOWN_USER".equals(r.code())) {
        devices.put(name, List.of()); // deleted account: no devices
        return List.of();
      }
      throw e;
    }
    // Key transparency first: the key must be the log's latest for the name, proven against a
    // tree head consistent with every one seen before (throws KtVerificationException, alerts).
    kt.checkResolved(name, user.identityKey());
    byte[] pinned = store.contactIdentityKey(name).orElse(null);
    if (pinned != null && !Arrays.equals(pinned, user.identityKey())) {
      throw new MessengerException("The server now gives a different identity key for " + name
          + " than the one pinned on first contact; refusing to talk to " + name
          + " until this is verified.");
    }
    IdentityKey identity;
    try {
      identity = IdentityKey.of(user.identityKey());
    } catch (Exception e) {
      throw new MessengerException("The server sent an invalid identity key for " + name + ".", e);
    }
    if (pinned == null) {
      store.pinContact(name, user.identityKey());
    }
    List<DeviceEntry> good = new ArrayList<>();
    for (DeviceEntry d : user.devices()) {
      if (identity.verify(AuthTranscripts.deviceCertificate(name, d.signatureKey()),
          d.certificate())) {
        good.add(d);
      } else {
        warnings.accept("Ignoring device " + d.deviceId() + " of " + name
            + ": its certificate does not verify under " + name + "'s identity key.");
      }
    }
    devices.put(name, good);
    return good;
  }

  /** Forgets every cached device list (a recipient turned out to be gone). */
  void forgetDevices() {
    devices.clear();
  }

  /** The certified devices of {@code name}, from the cache when known. */
  List<DeviceEntry> devices(String name) {
    List<DeviceEntry> known = devices.get(name);
    return known != null ? known : refresh(name);
  }

  /** The device id of {@code name}'s device with this signature key, resolving once if unknown. */
  OptionalLong deviceId(String name, byte[] signatureKey) {
    OptionalLong id = find(devices(name), signatureKey);
    return id.isPresent() ? id : find(refresh(name), signatureKey);
  }

  /** Whether the signature key belongs to a certified device of {@code name}. */
  boolean isDeviceOf(String name, byte[] signatureKey) {
    return deviceId(name, signatureKey).isPresent();
  }

  private static OptionalLong find(List<DeviceEntry> list, byte[] key) {
    for (DeviceEntry d : list) {
      if (Arrays.equals(d.signatureKey(), key)) {
        return OptionalLong.of(d.deviceId());
      }
    }
    return OptionalLong.empty();
  }
}
