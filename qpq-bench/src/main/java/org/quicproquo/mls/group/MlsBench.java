package org.quicproquo.mls.group;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;
import org.quicproquo.bench.BenchReport;

/**
 * Runs {@link GroupBench} through the JMH Runner API for each (size, shape) pair, prints a table
 * (operation, size, shape, mean, p50) with each figure beside its target, and records everything
 * in a {@link BenchReport}. One JMH fork per benchmark; the group of each pair is built once and
 * cached in a temporary directory shared by the forks (deleted afterwards).
 *
 * <p>The minimum and the CPU time per operation of the benchmark thread and the fork-join workers
 * sharing its HPKE encryptions ({@link GroupBench.CpuMeter}) are printed beside mean and p50
 * because the machine is shared: when other processes compete for the cores, the mean and the
 * median measure the scheduler as much as the code, while the fastest sample and the CPU time
 * are close to the undisturbed cost (the CPU time leaves out GC and JIT threads). A commit that
 * encrypts to many nodes runs on both cores, so its wall time can be below its CPU time.
 *
 * <p>Warm-up is several iterations because the JIT needs it: at 10,000 members a commit is
 * processed in a few milliseconds once compiled but takes tens of milliseconds while the JIT
 * still interprets the encoders (one second of warm-up is only a dozen operations), and
 * encrypt+decrypt reaches its steady ~100 µs only after about 8,000 messages.
 *
 * <p>The forks run with {@code -Xbatch} (JIT compilation in the foreground: a method that gets
 * hot waits for its compiled code instead of running on in the interpreter). On this shared
 * machine the background compiler threads were starved often enough that a fork could measure a
 * commit in code that never got compiled: processRemoveCommit at 10,000 members cost 36 ms of CPU
 * per operation in such a fork against 6.0 ms with {@code -Xbatch} (same commit, same build;
 * processAdd 6.0 ms in both). Compilation stalls then happen during warm-up instead; a late one
 * can still show as an outlier in the measured samples (hence min, p50 and cpu beside the mean).
 *
 * <p>Targets (ciphersuite 1, this 2-core machine): processing a commit in a group of 1,000 members
 * under 5 ms and of 10,000 under 50 ms; encrypt+decrypt of a 1 KiB application message under
 * 150 µs (checked at every size).
 *
 * <p>Run: {@code ./qpq bench mls [--json FILE] [--sizes 2,10,100,1000,10000] [--quick]}.
 */
public final class MlsBench {
  /** What to run and for how long. */
  public record Settings(List<Integer> sizes, List<Integer> fullSizes, int warmupIterations,
      TimeValue warmupTime, int iterations, TimeValue iterationTime) {
    public Settings {
      sizes = List.copyOf(sizes);
      fullSizes = List.copyOf(fullSizes);
    }

    /**
     * About 15-20 minutes on 2 idle cores: 5 sizes of batch-added groups, FULL at 1,000; 8
     * warm-up and 3 measured iterations of 1 s (encrypt+decrypt needs about 8,000 messages, 6-8 s
     * here, before C2 has compiled Ed25519 and the codecs).
     */
    public static Settings standard(List<Integer> sizes, List<Integer> fullSizes) {
      return new Settings(sizes, fullSizes, 8, TimeValue.seconds(1), 3, TimeValue.seconds(1));
    }

    /** About 3-5 minutes: three short warm-up and two short measured iterations. */
    public static Settings quick(List<Integer> sizes, List<Integer> fullSizes) {
      return new Settings(sizes, fullSizes, 3, TimeValue.milliseconds(500), 2,
          TimeValue.milliseconds(500));
    }
  }

  /** One measured operation. */
  public record Row(String op, int size, TreeShape shape, double meanMicros, double p50Micros,
      double minMicros, long samples, double cpuMicros) {}

  static final String[] OPS = {
      "createAddCommit", "processAddCommit", "createUpdateCommit", "processUpdateCommit",
      "createRemoveCommit", "processRemoveCommit", "encryptDecrypt1KiB"};

  private final Settings settings;
  private final BenchReport report;
  private final PrintStream out;

  public MlsBench(Settings settings, BenchReport report, PrintStream out) {
    this.settings = settings;
    this.report = report;
    this.out = out;
  }

  /** Runs every pair, prints the table and target lines; returns the rows. */
  public List<Row> run() throws RunnerException, IOException {
    Path cache = Files.createTempDirectory("qpq-bench-mls");
    List<Row> rows = new ArrayList<>();
    try {
      out.println("Tree shapes: BATCH_ADDED = the creator (leaf 0) added all other members in one"
          + " commit: only its direct path is set, every other parent node is blank (a commit"
          + " encrypts to ~n-1 leaves).");
      out.println("             FULL = as BATCH_ADDED, then every member committed once (update"
          + " with path): every parent node set (a commit encrypts to log2 n nodes).");
      out.println("Committer: leaf 0; receiver: last leaf. cpu = CPU time per op of the benchmark"
          + " thread and the fork-join workers sharing its HPKE encryptions (no GC/JIT threads),"
          + " the figure least disturbed by other load.");
      out.printf(Locale.ROOT, "%-20s %6s %-11s %11s %11s %11s %11s %7s  %s%n", "op", "size",
          "shape", "mean", "p50", "min", "cpu", "samples",
          "target (on the mean; min and cpu beside)");
      for (int size : settings.sizes()) {
        rows.addAll(runPair(size, TreeShape.BATCH_ADDED, cache));
        if (settings.fullSizes().contains(size)) {
          rows.addAll(runPair(size, TreeShape.FULL, cache));
        }
      }
    } finally {
      try (var files = Files.list(cache)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(cache);
    }
    return rows;
  }

  private List<Row> runPair(int size, TreeShape shape, Path cache) throws RunnerException {
    ChainedOptionsBuilder opts = new OptionsBuilder()
        .include(GroupBench.class.getName() + "\\.")
        .param("size", Integer.toString(size))
        .param("shape", shape.name())
        .forks(1)
        .threads(1)
        .warmupIterations(settings.warmupIterations())
        .warmupTime(settings.warmupTime())
        .measurementIterations(settings.iterations())
        .measurementTime(settings.iterationTime())
        .jvmArgsAppend("-D" + GroupBench.CACHE_PROPERTY + "=" + cache,
            "-Djava.class.path=" + System.getProperty("java.class.path"), "-Xbatch")
        .verbosity(VerboseMode.SILENT)
        .shouldFailOnError(true);
    Collection<RunResult> results = new Runner(opts.build()).run();
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String op = label.substring(label.lastIndexOf('.') + 1);
      Statistics st = r.getPrimaryResult().getStatistics();
      rows.add(new Row(op, size, shape, st.getMean(), st.getPercentile(50),
          st.getMin(), st.getN(), cpuMicros(cache, op, size, shape)));
    }
    rows.sort(Comparator.comparingInt(row -> List.of(OPS).indexOf(row.op())));
    for (Row row : rows) {
      print(row);
    }
    return rows;
  }

  /** What {@link GroupBench.CpuMeter} wrote for the operation, in microseconds, or NaN. */
  private static double cpuMicros(Path cache, String op, int size, TreeShape shape) {
    Path file = cache.resolve(GroupBench.cpuFileName(op, size, shape));
    try {
      return Double.parseDouble(Files.readString(file).trim()) / 1_000;
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
  }

  private void print(Row row) {
    String scenario = row.op() + "/" + row.size() + "/" + row.shape();
    report.result(scenario, "qpq-mls", "mean", row.meanMicros(), "us");
    report.result(scenario, "qpq-mls", "p50", row.p50Micros(), "us");
    report.result(scenario, "qpq-mls", "min", row.minMicros(), "us");
    report.result(scenario, "qpq-mls", "samples", row.samples(), "count");
    if (!Double.isNaN(row.cpuMicros())) {
      report.result(scenario, "qpq-mls", "cpu", row.cpuMicros(), "us");
    }
    OptionalDouble target = targetMicros(row.op(), row.size());
    String verdict = "";
    if (target.isPresent()) {
      boolean met = row.meanMicros() < target.getAsDouble();
      // BenchReport ratios are "higher is better": target / measured >= 1 means met.
      report.ratio(scenario + " under " + human(target.getAsDouble()), target.getAsDouble(),
          row.meanMicros(), 1.0);
      verdict = "< " + human(target.getAsDouble()) + ": " + (met ? "met" : "NOT met")
          + " (min " + (row.minMicros() < target.getAsDouble() ? "under" : "over")
          + (Double.isNaN(row.cpuMicros()) ? "" : ", cpu "
              + (row.cpuMicros() < target.getAsDouble() ? "under" : "over")) + ")";
    }
    out.printf(Locale.ROOT, "%-20s %6d %-11s %11s %11s %11s %11s %7d  %s%n", row.op(),
        row.size(), row.shape(), human(row.meanMicros()), human(row.p50Micros()),
        human(row.minMicros()), Double.isNaN(row.cpuMicros()) ? "-" : human(row.cpuMicros()),
        row.samples(), verdict);
  }

  /** The target for an operation at a size, in microseconds, if it has one. */
  static OptionalDouble targetMicros(String op, int size) {
    if (op.equals("encryptDecrypt1KiB")) {
      return OptionalDouble.of(150);
    }
    if (op.startsWith("process") && size == 1000) {
      return OptionalDouble.of(5_000);
    }
    if (op.startsWith("process") && size == 10_000) {
      return OptionalDouble.of(50_000);
    }
    return OptionalDouble.empty();
  }

  static String human(double micros) {
    if (micros >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000);
    }
    if (micros >= 1_000) {
      return String.format(Locale.ROOT, "%.2f ms", micros / 1_000);
    }
    return String.format(Locale.ROOT, "%.1f us", micros);
  }
}
