package org.quicproquo.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.files.FileLink;
import org.quicproquo.client.files.FileTransfer;
import org.quicproquo.client.files.TransferOptions;
import org.quicproquo.client.files.TransferProgress;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.rpc.RawQuicTransfer;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.rpc.TlsIdentity;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;

/**
 * {@code qpq bench blob}: a file of N MiB uploaded and downloaded through the blob RPCs (encrypted,
 * chunked, stored by a real server in a temporary data directory, fetched by a second user),
 * beside a raw QUIC stream carrying the same number of bytes each way in the same run. Rounds
 * alternate between the two; figures are medians of the measured rounds, which follow
 * {@code warmupRounds} unmeasured ones (HotSpot compiles the AES-GCM intrinsics into the chunk
 * cipher only after a few hundred MiB; the first round's figures are reported apart, as the cold
 * case). Target: both directions at least 70% of raw. Also reported: CPU time of the whole process
 * per MiB for each of the four transfers (median of the measured rounds).
 */
public final class BlobBench {
  /** Target ratio of blob throughput to raw QUIC throughput. */
  public static final double TARGET = 0.7;

  /**
   * @param sizeMiB file size
   * @param rounds measured rounds (after the warm-up rounds)
   * @param window chunks in flight
   * @param warmupRounds unmeasured rounds first (at least 1)
   */
  public record Settings(int sizeMiB, int rounds, int window, int warmupRounds) {
    public Settings {
      if (sizeMiB < 1 || rounds < 1 || window < 1 || warmupRounds < 1) {
        throw new IllegalArgumentException("size, rounds, window and warm-up must be positive");
      }
    }

    /** One warm-up round. */
    public Settings(int sizeMiB, int rounds, int window) {
      this(sizeMiB, rounds, window, 1);
    }
  }

  private final Settings settings;
  private final BenchReport report;

  public BlobBench(Settings settings, BenchReport report) {
    this.settings = settings;
    this.report = report;
  }

  /** Runs and reports; returns the lower of the upload and download ratios. */
  public double run() throws Exception {
    long size = (long) settings.sizeMiB() << 20;
    Path tmp = Files.createTempDirectory("qpq-bench-blob");
    SecureRandom random = new SecureRandom();
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    BlobLimits d = BlobLimits.defaults();
    BlobLimits limits = new BlobLimits(Math.max(d.maxBlobBytes(), 2 * size),
        Math.max(d.maxUserBytes(), 4 * size), d.minChunkBytes(), d.maxChunkBytes(),
        d.maxRetention(), d.unfinishedRetention(), d.sweepInterval());
    try (QpqServer server = QpqServer.start(new ServerConfig(loopback, tmp.resolve("server"),
            RpcLimits.defaults()), random, Clock.systemUTC(), StoreLimits.defaults(),
            new RateLimits(100_000, 100_000), limits);
        NodeClient alice = client("alice", server, tmp.resolve("alice"), random);
        NodeClient bob = client("bob", server, tmp.resolve("bob"), random);
        RawQuicTransfer raw = new RawQuicTransfer(TlsIdentity.generate("qpq bench raw", random,
            Clock.systemUTC()), RpcLimits.defaults(), loopback)) {
      Path file = randomFile(tmp.resolve("file.bin"), size);
      TransferOptions o = TransferOptions.defaults();
      TransferOptions options = new TransferOptions(o.plainChunkSize(), settings.window(),
          o.maxAttempts(), o.retryDelay(), o.callTimeout(), 3600);
      FileTransfer up = new FileTransfer(alice, random, options);
      FileTransfer down = new FileTransfer(bob, random, options);
      List<double[]> ours = new ArrayList<>();
      List<double[]> base = new ArrayList<>();
      List<double[]> cpu = new ArrayList<>();
      double[] cold = null;
      for (int round = 0; round < settings.warmupRounds() + settings.rounds(); round++) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        FileLink link = up.upload(file, "file.bin", "application/octet-stream",
            TransferProgress.NONE);
        double upSeconds = (System.nanoTime() - t0) / 1e9;
        long c1 = processCpuNanos();
        Path target = tmp.resolve("down-" + round + ".bin");
        long t1 = System.nanoTime();
        down.download(link, target, TransferProgress.NONE);
        double downSeconds = (System.nanoTime() - t1) / 1e9;
        long c2 = processCpuNanos();
        if (Files.mismatch(file, target) != -1) {
          throw new IllegalStateException("the downloaded file differs");
        }
        Files.delete(target);
        alice.deleteBlob(link.blobId()).get(60, TimeUnit.SECONDS);
        // the raw stream carries the bytes the blob RPCs carried (ciphertext)
        long wire = link.size() + 16L * Math.max(1, (size + o.plainChunkSize() - 1)
            / o.plainChunkSize());
        long c3 = processCpuNanos();
        double rawUp = raw.upload(wire);
        long c4 = processCpuNanos();
        double rawDown = raw.download(wire);
        long c5 = processCpuNanos();
        if (round == 0) {
          cold = new double[] {mib(size) / upSeconds, mib(size) / downSeconds,
              mib(size) / rawUp, mib(size) / rawDown};
        }
        if (round >= settings.warmupRounds()) { // warm-up rounds let the JIT compile both sides
          ours.add(new double[] {mib(size) / upSeconds, mib(size) / downSeconds});
          base.add(new double[] {mib(size) / rawUp, mib(size) / rawDown});
          double m = mib(size) * 1e6; // ns -> ms per MiB
          cpu.add(new double[] {(c1 - c0) / m, (c2 - c1) / m, (c4 - c3) / m, (c5 - c4) / m});
        }
      }
      String scenario = "blob " + settings.sizeMiB() + "MiB";
      double oursUp = median(ours, 0);
      double oursDown = median(ours, 1);
      double rawUp = median(base, 0);
      double rawDown = median(base, 1);
      report.result(scenario, "qpq-blob", "upload", oursUp, "MiB/s");
      report.result(scenario, "raw-quic", "upload", rawUp, "MiB/s");
      report.result(scenario, "qpq-blob", "download", oursDown, "MiB/s");
      report.result(scenario, "raw-quic", "download", rawDown, "MiB/s");
      report.result(scenario + " first round", "qpq-blob", "upload", cold[0], "MiB/s");
      report.result(scenario + " first round", "raw-quic", "upload", cold[2], "MiB/s");
      report.result(scenario + " first round", "qpq-blob", "download", cold[1], "MiB/s");
      report.result(scenario + " first round", "raw-quic", "download", cold[3], "MiB/s");
      // CPU of the whole process (client, server and baseline share it) per MiB moved: on a
      // machine shared with other work this is steadier than the rates
      report.result(scenario + " cpu", "qpq-blob", "upload", median(cpu, 0), "ms/MiB");
      report.result(scenario + " cpu", "raw-quic", "upload", median(cpu, 2), "ms/MiB");
      report.result(scenario + " cpu", "qpq-blob", "download", median(cpu, 1), "ms/MiB");
      report.result(scenario + " cpu", "raw-quic", "download", median(cpu, 3), "ms/MiB");
      report.ratio("blob/raw upload", oursUp, rawUp, TARGET);
      report.ratio("blob/raw download", oursDown, rawDown, TARGET);
      return Math.min(oursUp / rawUp, oursDown / rawDown);
    } finally {
      deleteTree(tmp);
    }
  }

  /** CPU time of this process (all threads), or 0 where the JVM does not report it. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static double mib(long bytes) {
    return bytes / (double) (1 << 20);
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static NodeClient client(String name, QpqServer server, Path state, SecureRandom random)
      throws Exception {
    Files.createDirectories(state);
    NodeClient client = NodeClient.create(new ClientConfig(
        new HostPort("127.0.0.1", server.address().getPort()), state, RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 10), e -> { });
    IdentityKeyPair identity = IdentityKeyPair.generate(random);
    DeviceKeyPair device = DeviceKeyPair.generate(random);
    byte[] deviceKey = device.publicKey().bytes();
    long id = client.register(name, identity.publicKey().bytes(), deviceKey,
        identity.sign(AuthTranscripts.deviceCertificate(name, deviceKey))).get(20, TimeUnit.SECONDS);
    client.login(new NodeClient.DeviceLogin(id, device::sign)).get(20, TimeUnit.SECONDS);
    return client;
  }

  private static Path randomFile(Path file, long size) throws IOException {
    SplittableRandom r = new SplittableRandom();
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = r.nextLong();
          for (int j = 0; j < 8; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
    return file;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
