package org.quicproquo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.quicproquo.client.HostPort;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qpq server}: runs a qpq server until interrupted. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run a qpq server (QUIC, UDP) until Ctrl-C. Creates its TLS certificate on first start.")
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:7443",
      description = "UDP address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ~/.qpq/server).")
  Path data;

  @Option(names = "--redact-logs",
      description = "Log pseudonyms instead of user names, device ids, client addresses and "
          + "message ids, and drop error details (docs/operations.md, \"Redacted logs\").")
  boolean redactLogs;

  @Option(names = "--no-padding",
      description = "Send RPC frames unpadded (to measure what padding costs; docs/wire.md §3).")
  boolean noPadding;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    HostPort hp = HostPort.parse(listen, ServerConfig.DEFAULT_PORT);
    Path dir = data != null ? data : Path.of(System.getProperty("user.home"), ".qpq", "server");
    ServerConfig config =
        new ServerConfig(hp.resolve(), dir, RpcLimits.defaults()).withRedactLogs(redactLogs)
        .withWirePadding(!noPadding);
    CountDownLatch stopped = new CountDownLatch(1);
    try (QpqServer server = QpqServer.start(config, new SecureRandom(), Clock.systemUTC())) {
      // First line, machine-readable (scripts and process-level tests parse it; the socket is
      // bound by now): qpq-server listening on HOST:PORT fingerprint SHA256HEX
      out.println(server.startupLine());
      out.println("qpq server " + QpqServer.VERSION + " listening on " + server.address()
          + " (UDP/QUIC, ALPN qpq/1)");
      out.println("data directory: " + server.dataDir());
      out.println("certificate fingerprint (sha256): " + server.fingerprint().hex());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "qpq-server-shutdown"));
      stopped.await();
    }
    return 0;
  }
}
