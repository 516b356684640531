package org.quicproquo.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import org.quicproquo.rpc.RpcLimits;

/**
 * How to run a server.
 *
 * @param listen UDP address to bind (port 0 picks a free port)
 * @param dataDir where the TLS identity (and later the database and blobs) live
 * @param limits per-connection RPC limits
 */
public record ServerConfig(InetSocketAddress listen, Path dataDir, RpcLimits limits) {
  /** The default port of a qpq server. */
  public static final int DEFAULT_PORT = 7443;

  public ServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(limits, "limits");
  }
}
