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
 * @param redactLogs whether log lines show pseudonyms instead of user names, device ids, client
 *     addresses and message ids, and drop error details ({@link org.quicproquo.rpc.LogRedaction};
 *     docs/operations.md "Redacted logs")
 * @param wirePadding whether frames the server sends are padded to size buckets (docs/wire.md
 *     section 3); on unless turned off to measure its cost
 */
public record ServerConfig(InetSocketAddress listen, Path dataDir, RpcLimits limits,
    boolean redactLogs, boolean wirePadding) {
  /** The default port of a qpq server. */
  public static final int DEFAULT_PORT = 7443;

  public ServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(limits, "limits");
  }

  /** A configuration that logs values as they are and pads frames. */
  public ServerConfig(InetSocketAddress listen, Path dataDir, RpcLimits limits) {
    this(listen, dataDir, limits, false, true);
  }

  /** This configuration with log redaction on or off. */
  public ServerConfig withRedactLogs(boolean redact) {
    return new ServerConfig(listen, dataDir, limits, redact, wirePadding);
  }

  /** This configuration with frame padding on or off. */
  public ServerConfig withWirePadding(boolean pad) {
    return new ServerConfig(listen, dataDir, limits, redactLogs, pad);
  }
}
