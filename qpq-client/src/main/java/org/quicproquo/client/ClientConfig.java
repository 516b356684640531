package org.quicproquo.client;

import java.nio.file.Path;
import java.util.Objects;
import org.quicproquo.rpc.RpcLimits;

/**
 * How a client reaches its server.
 *
 * @param server the server's address; also the name its certificate is pinned under
 * @param stateDir the client's state directory (TOFU pins, later keys and history)
 * @param limits limits applied to everything the server sends
 * @param backoff delays between reconnect attempts
 * @param maxConnectAttempts attempts per (re)connection before a call fails; at least 1
 */
public record ClientConfig(HostPort server, Path stateDir, RpcLimits limits, Backoff backoff,
    int maxConnectAttempts) {
  public ClientConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(backoff, "backoff");
    if (maxConnectAttempts < 1) {
      throw new IllegalArgumentException("maxConnectAttempts must be at least 1");
    }
  }

  /** Default limits and backoff, 8 attempts (about 15 s of retrying). */
  public static ClientConfig of(HostPort server, Path stateDir) {
    return new ClientConfig(server, stateDir, RpcLimits.defaults(), Backoff.defaults(), 8);
  }
}
