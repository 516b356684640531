package org.quicproquo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.quicproquo.client.HostPort;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

  @Option(names = "--blob-max-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Largest file (blob) one upload may create, e.g. 500MiB or 2GiB; larger "
          + "uploads are refused with QUOTA_EXCEEDED BLOB_SIZE (default: 2GiB).")
  Long blobMaxSize;

  @Option(names = "--blob-quota", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Total size of the files one user may keep stored, e.g. 10GiB; an upload "
          + "beyond it is refused with QUOTA_EXCEEDED BLOB_STORAGE (default: 10GiB).")
  Long blobQuota;

  @Option(names = "--blob-expiry", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Lifetime of a stored file that asks for none, and the longest one may ask "
          + "for, e.g. 30d, 12h or 90m (default: 30d). Expired files are deleted.")
  Duration blobExpiry;

  /** The blob limits these options give (defaults where an option is absent). */
  BlobLimits blobLimits() {
    BlobLimits limits = BlobLimits.defaults();
    if (blobMaxSize != null) {
      limits = limits.withMaxBlobBytes(blobMaxSize);
    }
    if (blobQuota != null) {
      limits = limits.withMaxUserBytes(blobQuota);
    }
    if (blobExpiry != null) {
      limits = limits.withMaxRetention(blobExpiry);
    }
    return limits;
  }

  /** {@link BlobLimits#parseSize} for picocli (its message becomes the usage error). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return BlobLimits.parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@link BlobLimits#parseDuration} for picocli. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return BlobLimits.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    HostPort hp = HostPort.parse(listen, ServerConfig.DEFAULT_PORT);
    Path dir = data != null ? data : Path.of(System.getProperty("user.home"), ".qpq", "server");
    ServerConfig config =
        new ServerConfig(hp.resolve(), dir, RpcLimits.defaults()).withRedactLogs(redactLogs)
        .withWirePadding(!noPadding);
    CountDownLatch stopped = new CountDownLatch(1);
    try (QpqServer server = QpqServer.start(config, new SecureRandom(), Clock.systemUTC(),
        StoreLimits.defaults(), RateLimits.defaults(), blobLimits())) {
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
