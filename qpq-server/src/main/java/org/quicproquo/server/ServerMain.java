package org.quicproquo.server;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.store.StoreLimits;

/**
 * A bare server process for process-level tests (crash and restart): {@code ServerMain --listen
 * HOST:PORT --data DIR [--blob-max-size SIZE] [--blob-quota SIZE] [--blob-expiry DURATION]}
 * starts a {@link QpqServer} (blob limits as {@code qpq server} takes them), prints {@link QpqServer#startupLine()} on
 * stdout once the socket is bound, and runs until the process is stopped. Operators use
 * {@code qpq server}, which prints the same line.
 */
final class ServerMain {
  private ServerMain() {
  }

  /** Exit code 2 for bad arguments; otherwise runs until killed. */
  public static void main(String[] args) throws Exception {
    InetSocketAddress listen = null;
    Path data = null;
    BlobLimits blobs = BlobLimits.defaults();
    try {
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--listen" -> listen = parseListen(value);
          case "--data" -> data = Path.of(value);
          case "--blob-max-size" -> blobs = blobs.withMaxBlobBytes(BlobLimits.parseSize(value));
          case "--blob-quota" -> blobs = blobs.withMaxUserBytes(BlobLimits.parseSize(value));
          case "--blob-expiry" ->
              blobs = blobs.withMaxRetention(BlobLimits.parseDuration(value));
          default -> {
            System.err.println("unknown option " + args[i]);
            System.exit(2);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
    if (listen == null || data == null || args.length % 2 != 0) {
      System.err.println("usage: ServerMain --listen HOST:PORT --data DIR [--blob-max-size SIZE]"
          + " [--blob-quota SIZE] [--blob-expiry DURATION]");
      System.exit(2);
    }
    QpqServer server = QpqServer.start(new ServerConfig(listen, data, RpcLimits.defaults()),
        new SecureRandom(), Clock.systemUTC(), StoreLimits.defaults(), RateLimits.defaults(),
        blobs);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "qpq-server-shutdown"));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(server.startupLine());
    stopped.await();
  }

  /** {@code host:port} or {@code [v6]:port}. */
  static InetSocketAddress parseListen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new InetSocketAddress(host, port);
  }
}
