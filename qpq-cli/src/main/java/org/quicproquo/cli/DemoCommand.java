package org.quicproquo.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.ServerInfo;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qpq demo}: an embedded server and a client on loopback in one process. For now it shows
 * the transport: TLS identity creation, trust on first use, one {@code serverInfo} call.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start an embedded server and a client on loopback, talk over QUIC, print what happened.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("qpq-demo-");
    long t0 = System.nanoTime();
    ServerConfig config = new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), work.resolve("server"),
        RpcLimits.defaults());
    try (QpqServer server = QpqServer.start(config, new SecureRandom(), Clock.systemUTC())) {
      out.printf("[server] listening on %s, data in %s%n", server.address(), server.dataDir());
      out.printf("[server] self-signed certificate, sha256 %s%n", server.fingerprint().hex());
      HostPort addr = new HostPort("127.0.0.1", server.address().getPort());
      try (NodeClient client = NodeClient.create(
          ClientConfig.of(addr, work.resolve("client")), event -> { })) {
        out.printf("[client] connecting to %s over QUIC (ALPN qpq/1, TLS 1.3)%n", addr);
        ServerInfo info = client.serverInfo().get(30, TimeUnit.SECONDS);
        out.printf("[client] pinned the server certificate on first use: %s%n",
            client.pinnedFingerprint().map(f -> f.hex()).orElse("(none)"));
        out.printf("[client] serverInfo -> version %s, MLS cipher suites %s%n", info.version(),
            info.cipherSuites());
        out.printf("[client] server limits: %d-byte messages, %d calls in flight, %d ms idle timeout%n",
            info.maxMessageBytes(), info.maxCallsInFlight(), info.idleTimeoutMillis());
      }
    }
    out.printf("demo finished in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    deleteTree(work);
    return 0;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
