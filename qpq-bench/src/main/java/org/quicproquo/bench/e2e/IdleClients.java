package org.quicproquo.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.NodeClient;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;

/**
 * Server heap with many connected, logged-in, idle clients. The server runs in a child JVM
 * ({@link ServerChildMain}, {@code -Xmx1g}, default GC) so that its heap holds nothing but the
 * server; the clients ({@link NodeClient}s, each registered as its own user and logged in on its
 * own QUIC connection) run in this JVM. The child reports heap used after two
 * {@code System.gc()} calls, once before any client connects and once with all connected; the
 * difference is what the clients cost. The child's resident set size ({@code VmRSS}) is read too:
 * QUIC connection state (quiche) lives in native memory, outside the Java heap.
 */
final class IdleClients {
  private static final Pattern STARTUP =
      Pattern.compile("qpq-server listening on (.+):(\\d+) fingerprint ([0-9a-f]{64})");

  /** What was measured. */
  record Result(int clients, long heapBeforeBytes, long heapAfterBytes, long rssBeforeBytes,
      long rssAfterBytes, double connectSeconds) {
  }

  private final Path dir;
  private final SecureRandom random = new SecureRandom();

  IdleClients(Path dir) {
    this.dir = dir;
  }

  Result measure(int count) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path data = dir.resolve("idle-server");
    Process child = new ProcessBuilder(java, "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), ServerChildMain.class.getName(), data.toString())
        .redirectError(dir.resolve("idle-server.err").toFile())
        .start();
    List<NodeClient> clients = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
      String line = out.readLine();
      Matcher m = line == null ? null : STARTUP.matcher(line);
      if (m == null || !m.matches()) {
        throw new IOException("server child did not start (" + line + "); see "
            + dir.resolve("idle-server.err"));
      }
      HostPort server = new HostPort(m.group(1), Integer.parseInt(m.group(2)));
      // Settle the child's start-up allocations before the baseline.
      heap(in, out);
      long[] before = heap(in, out);
      long rssBefore = rss(child.pid());
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<NodeClient>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          int n = i;
          pending.add(pool.submit(() -> connect(server, n)));
        }
        for (Future<NodeClient> f : pending) {
          clients.add(f.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      long[] after = heap(in, out);
      long rssAfter = rss(child.pid());
      return new Result(count, before[0], after[0], rssBefore, rssAfter, connectSeconds);
    } finally {
      clients.parallelStream().forEach(NodeClient::close);
      child.destroy();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  /** Registers user {@code idleN} with fresh keys and logs its device in. */
  private NodeClient connect(HostPort server, int n) throws Exception {
    Path state = dir.resolve("idle-clients").resolve("c" + n);
    Files.createDirectories(state);
    NodeClient c = NodeClient.create(new ClientConfig(server, state, BenchServer.limits(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 8), event -> { });
    try {
      String name = "idle" + n;
      IdentityKeyPair identity = IdentityKeyPair.generate(random);
      DeviceKeyPair device = DeviceKeyPair.generate(random);
      byte[] deviceKey = device.publicKey().bytes();
      byte[] certificate = identity.sign(AuthTranscripts.deviceCertificate(name, deviceKey));
      long id = c.register(name, identity.publicKey().bytes(), deviceKey, certificate)
          .get(60, TimeUnit.SECONDS);
      c.login(new NodeClient.DeviceLogin(id, device::sign)).get(60, TimeUnit.SECONDS);
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  private static long[] heap(Writer in, BufferedReader out) throws IOException {
    in.write("heap\n");
    in.flush();
    String line = out.readLine();
    if (line == null || !line.startsWith("heap ")) {
      throw new IOException("server child answered " + line);
    }
    String[] parts = line.split(" ");
    return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
  }

  /** Resident set size of a process from /proc (Linux); -1 where unavailable. */
  static long rss(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
