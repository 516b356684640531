package org.quicproquo.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quicproquo.rpc.ServerConnection;
import org.quicproquo.server.store.DeviceId;

/** Which connections are logged in as which device, for push. Thread-safe. */
final class LoggedInDevices {
  private final Map<DeviceId, Set<ServerConnection>> byDevice = new ConcurrentHashMap<>();

  /** Records the login and forgets it when the connection closes. */
  void add(DeviceId device, ServerConnection connection) {
    byDevice.computeIfAbsent(device, d -> ConcurrentHashMap.newKeySet()).add(connection);
    connection.closeFuture().whenComplete((v, e) -> remove(device, connection));
  }

  List<ServerConnection> connections(DeviceId device) {
    Set<ServerConnection> set = byDevice.get(device);
    return set == null ? List.of() : List.copyOf(set);
  }

  private void remove(DeviceId device, ServerConnection connection) {
    byDevice.computeIfPresent(device, (d, set) -> {
      set.remove(connection);
      return set.isEmpty() ? null : set;
    });
  }
}
