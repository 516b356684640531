package org.quicproquo.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.interop.MlsPeerBench;
import org.quicproquo.mls.group.MlsBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qpq bench mls}: JMH benchmarks of MLS commits and application messages in groups of
 * several sizes (see {@link MlsBench}), each figure beside its target.
 */
@Command(
    name = "mls",
    mixinStandardHelpOptions = true,
    description = "MLS (ciphersuite 1) create/process of add, update and remove commits in groups "
        + "of each size, and 1 KiB application message encrypt+decrypt, via JMH (targets: "
        + "process a commit < 5 ms at 1,000 members, < 50 ms at 10,000; encrypt+decrypt "
        + "< 150 us).")
final class BenchMlsCommand implements Callable<Integer> {
  @Option(names = "--json", paramLabel = "FILE", description = "Also write results as JSON.")
  Path json;

  @Option(names = "--sizes", split = ",", paramLabel = "N",
      description = "Group sizes (default 2,10,100,1000,10000; with --quick 10,1000).")
  List<Integer> sizes;

  @Option(names = "--full-sizes", split = ",", paramLabel = "N",
      description = "Sizes also measured with a full tree (every member committed once); "
          + "default 1000. Building a full tree costs one commit per member.")
  List<Integer> fullSizes;

  @Option(names = "--quick", description = "Shorter runs and fewer sizes (about 3-5 min; JIT warm-up dominates).")
  boolean quick;

  @Option(names = "--peer", paramLabel = "IMPL",
      description = "Instead of JMH, run the same operations in qpq-mls and in IMPL (ts-mls) in one "
          + "run on identically built groups and print both medians and their ratio (sizes "
          + "default 10,100,1000).")
  String peer;

  @Option(names = "--iterations", defaultValue = "5",
      description = "Timed iterations per operation with --peer (default ${DEFAULT-VALUE}).")
  int iterations;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true);
    if (peer != null) {
      return runAgainstPeer();
    }
    List<Integer> s = sizes != null ? sizes
        : quick ? List.of(10, 1000) : List.of(2, 10, 100, 1000, 10_000);
    for (int n : s) {
      if (n < 2) {
        throw new IllegalArgumentException("group sizes start at 2: " + n);
      }
    }
    List<Integer> full = fullSizes != null ? fullSizes : List.of(1000);
    MlsBench.Settings settings = quick ? MlsBench.Settings.quick(s, full)
        : MlsBench.Settings.standard(s, full);
    // The table is printed by MlsBench; the report only collects the JSON.
    BenchReport report = new BenchReport("mls", new PrintStream(OutputStream.nullOutputStream()));
    new MlsBench(settings, report, out).run();
    if (json != null) {
      report.writeJson(json);
      out.println("JSON written to " + json);
    }
    return 0;
  }

  private int runAgainstPeer() throws Exception {
    if (!peer.equals("ts-mls")) {
      throw new IllegalArgumentException("unknown peer '" + peer + "' (supported: ts-mls)");
    }
    java.io.PrintWriter w = new java.io.PrintWriter(System.out, true);
    var result = MlsPeerBench.run(sizes != null ? sizes : List.of(10, 100, 1000), iterations, w);
    if (json != null) {
      java.nio.file.Files.writeString(json, result.toPrettyString() + "\n");
      w.println("JSON written to " + json);
    }
    return 0;
  }
}
