package org.quicproquo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.bench.BlobBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qpq bench blob}: file upload and download throughput (see {@link BlobBench}). */
@Command(
    name = "blob",
    mixinStandardHelpOptions = true,
    description = "Encrypted file upload and download through the blob RPCs on loopback, beside "
        + "a raw QUIC stream transfer of the same bytes in the same run (target: >= 70%% of raw).")
final class BenchBlobCommand implements Callable<Integer> {
  @Option(names = "--json", paramLabel = "FILE", description = "Also write results as JSON.")
  Path json;

  @Option(names = "--size", defaultValue = "256", paramLabel = "MiB",
      description = "File size in MiB (default ${DEFAULT-VALUE}).")
  int sizeMiB;

  @Option(names = "--rounds", defaultValue = "3",
      description = "Measured rounds after the warm-up; figures are medians (default "
          + "${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup", defaultValue = "2",
      description = "Unmeasured rounds before the measured ones (default ${DEFAULT-VALUE}); the "
          + "first round is also reported on its own, as the cold-JVM figure.")
  int warmup;

  @Option(names = "--window", defaultValue = "8",
      description = "Chunks in flight (default ${DEFAULT-VALUE}).")
  int window;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true);
    BenchReport report = new BenchReport("blob", out);
    new BlobBench(new BlobBench.Settings(sizeMiB, rounds, window, warmup), report).run();
    if (json != null) {
      report.writeJson(json);
      out.println("JSON written to " + json);
    }
    return 0;
  }
}
