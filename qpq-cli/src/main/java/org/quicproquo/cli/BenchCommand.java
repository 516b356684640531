package org.quicproquo.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.rpc.RpcBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qpq bench ...}: benchmarks that print results beside their baseline, and JSON. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark beside its baseline; prints a table and optionally JSON.",
    subcommands = {BenchCommand.Rpc.class, BenchMlsCommand.class, BenchE2eCommand.class,
        BenchKtCommand.class, BenchBlobCommand.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "rpc",
      mixinStandardHelpOptions = true,
      description = "Small-call RPC throughput and p50/p99 latency over QUIC on loopback, beside a "
          + "raw Netty QUIC echo of the same payload (target: RPC >= 50%% of raw).")
  static final class Rpc implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write results as JSON.")
    Path json;

    @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per side and round (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up seconds per side and round (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds; figures are medians (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--lanes", defaultValue = "32", description = "Concurrent closed-loop callers (default ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--streams", defaultValue = "4", description = "RPC streams the lanes share (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--payload", defaultValue = "64", description = "Payload bytes per call (default ${DEFAULT-VALUE}).")
    int payload;

    @Override
    public Integer call() throws Exception {
      var out = new java.io.PrintStream(System.out, true);
      BenchReport report = new BenchReport("rpc", out);
      new RpcBench(new RpcBench.Settings(lanes, streams, payload, Duration.ofSeconds(warmup),
          Duration.ofSeconds(seconds), rounds), report).run();
      if (json != null) {
        report.writeJson(json);
        out.println("JSON written to " + json);
      }
      return 0;
    }
  }
}
