package org.quicproquo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.kt.KtBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qpq bench kt}: key-transparency log appends and proof times (see {@link KtBench}). */
@Command(
    name = "kt",
    mixinStandardHelpOptions = true,
    description = "Key-transparency log: appends per second while building a log of N entries, "
        + "then inclusion and consistency proof generation and verification (p50/p99 over "
        + "random samples) and tree-head sign/verify.")
final class BenchKtCommand implements Callable<Integer> {
  @Option(names = "--json", paramLabel = "FILE", description = "Also write results as JSON.")
  Path json;

  @Option(names = "--entries", defaultValue = "1000000", paramLabel = "N",
      description = "Entries in the log (default ${DEFAULT-VALUE}).")
  int entries;

  @Option(names = "--samples", defaultValue = "10000", paramLabel = "N",
      description = "Random proofs timed per kind (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--seed", defaultValue = "9162",
      description = "Seed for the random indices and sizes (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true);
    BenchReport report = new BenchReport("kt", out);
    new KtBench(new KtBench.Settings(entries, samples, seed), report).run();
    if (json != null) {
      report.writeJson(json);
      out.println("JSON written to " + json);
    }
    return 0;
  }
}
