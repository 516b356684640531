package org.quicproquo.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.rpc.RpcBench;
import org.quicproquo.server.QpqServer;

/**
 * {@code qpq bench e2e}: messages delivered end to end through the real SDK and server, on
 * loopback QUIC with real SQLite files in a temporary directory, beside a raw RPC baseline, and
 * the server's heap with many idle clients. Each figure is printed beside the target of issue 5.
 *
 * <p>What one delivered message is: {@link org.quicproquo.client.messenger.Messenger#sendTextAsync}
 * (encrypt, store, outbox, enqueue RPC) at the sender; push, fetch, decrypt, store and the
 * listener callback at every receiver; the receiver's ack is waited for (its server queue must be
 * empty) before the next configuration starts.
 *
 * <p>Run: {@code ./qpq bench e2e [--json FILE] [--quick]}.
 */
public final class E2eBench {
  /**
   * Settings of one run.
   *
   * @param clients        concurrent sending clients of each closed-loop configuration
   * @param dmMessages     measured messages per 1:1 configuration (split over its senders; 0
   *                       skips the 1:1 closed-loop runs)
   * @param groupMessages  measured messages per group configuration (each goes to 9 members;
   *                       0 skips the group runs)
   * @param window         undelivered messages each sender may have outstanding
   * @param pacedRate      total rate of the paced 1:1 run (messages/s; 0 skips it)
   * @param pacedSenders   senders the paced rate is spread over (DM partners, both directions)
   * @param pacedSeconds   measured seconds of the paced run
   * @param pacedWarmup    seconds of the paced run's warm-up at the same rate (not measured)
   * @param idleClients    logged-in idle clients for the heap measurement (0 skips it)
   * @param rpcSeconds     measured seconds of the RPC baseline (0 skips it)
   * @param timeout        longest any one phase may take
   * @param tempRoot       where the temporary directory (server and client SQLite files) is
   *                       made; null for the system default. A tmpfs here removes fsync cost,
   *                       which isolates it when profiling
   * @param messaging      whether to run the messaging configurations (false: only the
   *                       baseline and the idle clients)
   * @param syncSend       senders use the blocking {@code sendText} instead of
   *                       {@code sendTextAsync} (the SDK's only send before 2026-11-27)
   * @param jvmWarmup      seconds of unmeasured DM and group traffic at the largest client
   *                       count before the closed-loop runs, so they measure compiled code: with
   *                       server and 100 clients in one JVM on 2 cores, C2 is still compiling hot
   *                       paths 40 s into a run (qpq-bench README)
   */
  public record Settings(List<Integer> clients, int dmMessages, int groupMessages, int window,
      double pacedRate, int pacedSenders, double pacedSeconds, double pacedWarmup, int idleClients,
      double rpcSeconds, Duration timeout, Path tempRoot, boolean messaging, boolean syncSend,
      double jvmWarmup) {
    public Settings {
      clients = List.copyOf(clients);
      if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 10_000)) {
        throw new IllegalArgumentException("clients must be 1..10000");
      }
      if (dmMessages < 0 || groupMessages < 0 || window < 1 || !(pacedRate >= 0)
          || pacedSenders < 2 || pacedSenders % 2 != 0 || !(pacedSeconds > 0)
          || !(pacedWarmup >= 0) || idleClients < 0
          || !(rpcSeconds >= 0) || !(jvmWarmup >= 0)) {
        throw new IllegalArgumentException("bad settings");
      }
    }

    /** The full run (several minutes). */
    public static Settings standard() {
      // The paced warm-up is as long as its measured window: it follows the closed-loop group
      // runs, and after 1 s their after-effects (WAL checkpoints, C2 compiling the paced
      // paths) still dominated it (same build: p50 26-51 ms and p99 51-139 ms after 1 s,
      // p50 7-10 ms and p99 23-42 ms after 5-8 s; qpq-bench README).
      return new Settings(List.of(1, 10, 100), 20_000, 600, 32, 500, 10, 5, 5, 1000, 3,
          Duration.ofMinutes(5), null, true, false, 40);
    }

    /**
     * A smoke run (under 30 s on an idle machine): 1 and 10 clients, small counts, half a
     * paced second, 20 idle clients.
     */
    public static Settings quick() {
      return new Settings(List.of(1, 10), 60, 20, 32, 500, 10, 0.5, 0.25, 20, 0.5,
          Duration.ofMinutes(2), null, true, false, 0);
    }

    int population() {
      int max = Math.max(Collections.max(clients), pacedSenders);
      return (max + Population.GROUP_SIZE - 1) / Population.GROUP_SIZE * Population.GROUP_SIZE;
    }
  }

  private final Settings settings;
  private final PrintStream out;
  private long startNanos;

  public E2eBench(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs everything and returns the report (already printed). */
  public E2eReport run() throws Exception {
    startNanos = System.nanoTime();
    E2eReport report = new E2eReport(out);
    ObjectNode s = report.settings();
    s.put("clients", settings.clients().toString()).put("dmMessages", settings.dmMessages())
        .put("groupMessages", settings.groupMessages()).put("window", settings.window())
        .put("pacedRate", settings.pacedRate()).put("pacedSenders", settings.pacedSenders())
        .put("pacedSeconds", settings.pacedSeconds()).put("pacedWarmup", settings.pacedWarmup())
        .put("idleClients", settings.idleClients())
        .put("send", settings.syncSend() ? "sendText" : "sendTextAsync")
        .put("jvmWarmupSeconds", settings.jvmWarmup());
    Path dir = settings.tempRoot() == null ? Files.createTempDirectory("qpq-bench-e2e")
        : Files.createTempDirectory(settings.tempRoot(), "qpq-bench-e2e");
    report.note("tempDir", dir.toString());
    // Rates mean little on a shared machine; the load average says how shared it was.
    report.result("machine", "load average at start", loadAverage(), "");
    try {
      if (settings.rpcSeconds() > 0) {
        rpcBaseline(report);
      }
      if (settings.messaging()) {
        messaging(report, dir);
      }
      if (settings.idleClients() > 0) {
        idle(report, dir);
      }
    } finally {
      deleteTree(dir);
    }
    report.result("machine", "load average at end", loadAverage(), "");
    report.printTargets();
    return report;
  }

  private void rpcBaseline(E2eReport report) throws Exception {
    section("raw RPC baseline (qpq bench rpc: 64 B echo, 32 lanes on 4 streams)");
    BenchReport rpc = new BenchReport("rpc", out);
    Duration measure = Duration.ofMillis((long) (settings.rpcSeconds() * 1000));
    new RpcBench(new RpcBench.Settings(32, 4, 64, measure.dividedBy(2), measure, 1), rpc).run();
    Path tmp = Files.createTempFile("qpq-bench-rpc", ".json");
    try {
      rpc.writeJson(tmp);
      report.baseline("rpc", new ObjectMapper().readTree(tmp.toFile()));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void messaging(E2eReport report, Path dir) throws Exception {
    int size = settings.population();
    section("setting up " + size + " messengers, " + size / 2 + " DMs, "
        + size / Population.GROUP_SIZE + " groups of " + Population.GROUP_SIZE);
    DeliveryTracker tracker = new DeliveryTracker(size);
    long setupStart = System.nanoTime();
    try (QpqServer server = BenchServer.start(dir.resolve("server"));
        Population population = Population.create(server, dir.resolve("clients"), size,
            tracker)) {
      report.result("setup", "seconds", (System.nanoTime() - setupStart) / 1e9, "s");
      LoadRunner runner = new LoadRunner(server, population, tracker, settings.timeout(),
          settings.syncSend());
      if (settings.jvmWarmup() > 0) {
        jvmWarmup(report, runner, population);
      }
      double bestDm = 0;
      int bestDmClients = 0;
      section("1:1 DMs, closed loop, window " + settings.window() + " per sender");
      for (int c : settings.dmMessages() > 0 ? settings.clients() : List.<Integer>of()) {
        LoadRunner.Outcome o = runner.closedLoop(dmSenders(population, c),
            warmup(settings.dmMessages(), c), Math.max(1, settings.dmMessages() / c),
            settings.window());
        record(report, "dm " + c + " clients", o);
        if (o.messagesPerSecond() > bestDm) {
          bestDm = o.messagesPerSecond();
          bestDmClients = c;
        }
      }
      section("groups of " + Population.GROUP_SIZE + ", closed loop, window "
          + settings.window() + " per sender");
      for (int c : settings.groupMessages() > 0 ? settings.clients() : List.<Integer>of()) {
        LoadRunner.Outcome o = runner.closedLoop(groupSenders(population, c),
            warmup(settings.groupMessages(), c), Math.max(1, settings.groupMessages() / c),
            settings.window());
        record(report, "group10 " + c + " clients", o);
      }
      LoadRunner.Outcome paced = null;
      if (settings.pacedRate() > 0) {
        section(String.format(java.util.Locale.ROOT, "1:1 DMs paced at %.0f msg/s over %d senders",
            settings.pacedRate(), settings.pacedSenders()));
        paced = runner.paced(dmSenders(population, settings.pacedSenders()),
            settings.pacedRate(), settings.pacedWarmup(), settings.pacedSeconds());
        record(report, "dm paced " + (int) settings.pacedRate() + "/s", paced);
      }
      if (bestDmClients > 0) {
        report.target(new E2eReport.Target("1:1 messages/s delivered end to end (best: "
            + bestDmClients + " clients)", bestDm, "msg/s", E2eReport.Bound.AT_LEAST, 3000));
      }
      if (paced != null) {
        report.target(new E2eReport.Target("1:1 p99 latency at " + (int) settings.pacedRate()
            + " msg/s", paced.p99Millis(), "ms", E2eReport.Bound.BELOW, 50));
      }
    }
  }

  /**
   * Alternates unmeasured DM and group closed-loop runs at the largest client count until
   * {@link Settings#jvmWarmup} seconds have passed.
   */
  private void jvmWarmup(E2eReport report, LoadRunner runner, Population population)
      throws Exception {
    int c = Collections.max(settings.clients());
    section(String.format(java.util.Locale.ROOT,
        "JVM warm-up: DM and group traffic at %d clients for %.0f s (not measured)", c,
        settings.jvmWarmup()));
    long start = System.nanoTime();
    long deadline = start + (long) (settings.jvmWarmup() * 1e9);
    long messages = 0;
    while (System.nanoTime() < deadline) {
      int dm = Math.max(1, 3000 / c);
      runner.closedLoop(dmSenders(population, c), 0, dm, settings.window());
      int group = Math.max(1, 600 / c);
      runner.closedLoop(groupSenders(population, c), 0, group, settings.window());
      messages += (long) (dm + group) * c;
    }
    report.result("jvm warm-up", "seconds", (System.nanoTime() - start) / 1e9, "s");
    report.result("jvm warm-up", "messages", messages, "");
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
  }

  private void section(String title) {
    out.printf(java.util.Locale.ROOT, "== %s == (t = %.1f s)%n", title,
        (System.nanoTime() - startNanos) / 1e9);
  }

  private static int warmup(int messages, int clients) {
    return Math.max(2, messages / clients / 5);
  }

  private static void record(E2eReport report, String scenario, LoadRunner.Outcome o) {
    report.result(scenario, "messages/s", o.messagesPerSecond(), "msg/s");
    report.result(scenario, "deliveries/s", o.deliveriesPerSecond(), "deliveries/s");
    report.result(scenario, "p50", o.p50Millis(), "ms");
    report.result(scenario, "p99", o.p99Millis(), "ms");
    // call to stored: sendText's return, or sendTextAsync's future completing
    report.result(scenario, "send to stored mean", o.meanSendCallMillis(), "ms");
    report.result(scenario, "CPU per message", o.cpuMillisPerMessage(), "ms");
    if (o.completed() > 0) {
      for (var e : o.cpuNanosByThread().entrySet()) {
        report.result(scenario, "CPU/msg " + e.getKey(), e.getValue() / 1e6 / o.completed(),
            "ms");
      }
    }
    report.result(scenario, "sent", o.sent(), "msg");
    report.result(scenario, "completed", o.completed(), "msg");
    if (o.undelivered() > 0 || o.unexpected() > 0) {
      report.result(scenario, "undelivered", o.undelivered(), "msg");
      report.result(scenario, "unexpected", o.unexpected(), "deliveries");
    }
  }

  /** The first {@code c} messengers, each sending to its DM partner. */
  static List<LoadRunner.Sender> dmSenders(Population p, int c) {
    List<LoadRunner.Sender> out = new ArrayList<>();
    if (c == 1) {
      out.add(new LoadRunner.Sender(0, p.dm(0), new int[] {1}));
      return out;
    }
    for (int i = 0; i < c; i++) {
      out.add(new LoadRunner.Sender(i, p.dm(i), new int[] {Population.dmPartner(i)}));
    }
    return out;
  }

  /** The first {@code c} messengers (filling groups in order), each sending to its group. */
  static List<LoadRunner.Sender> groupSenders(Population p, int c) {
    return IntStream.range(0, c).mapToObj(i -> new LoadRunner.Sender(i, p.group(i),
        Population.groupPeers(i))).toList();
  }

  private void idle(E2eReport report, Path dir) throws Exception {
    section("server heap with " + settings.idleClients()
        + " logged-in idle clients (server in a child JVM)");
    IdleClients.Result r = new IdleClients(dir).measure(settings.idleClients());
    String scenario = "idle " + r.clients() + " clients";
    double mib = 1024.0 * 1024;
    report.result(scenario, "connect+login time", r.connectSeconds(), "s");
    report.result(scenario, "heap before", r.heapBeforeBytes() / mib, "MiB");
    report.result(scenario, "heap with clients", r.heapAfterBytes() / mib, "MiB");
    report.result(scenario, "heap per client",
        (r.heapAfterBytes() - r.heapBeforeBytes()) / 1024.0 / r.clients(), "KiB");
    report.result(scenario, "RSS before", r.rssBeforeBytes() / mib, "MiB");
    report.result(scenario, "RSS with clients", r.rssAfterBytes() / mib, "MiB");
    report.target(new E2eReport.Target("server heap with " + r.clients() + " idle clients",
        r.heapAfterBytes() / mib, "MiB", E2eReport.Bound.BELOW, 512));
  }

  private static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
