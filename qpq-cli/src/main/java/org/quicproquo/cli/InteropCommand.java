package org.quicproquo.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.quicproquo.interop.InteropException;
import org.quicproquo.interop.InteropSummary;
import org.quicproquo.interop.MlsPeerBench;
import org.quicproquo.interop.ScenarioResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qpq interop ts-mls}: interop of qpq-mls with independent MLS implementations. */
@Command(
    name = "interop",
    mixinStandardHelpOptions = true,
    description = "Check qpq-mls against independent RFC 9420 implementations (see interop/README.md).",
    subcommands = {InteropCommand.TsMls.class})
final class InteropCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** {@code qpq interop ts-mls [--suites 1,2,...]}. */
  @Command(
      name = "ts-mls",
      mixinStandardHelpOptions = true,
      description = {
        "Run every interop scenario against ts-mls 1.6.4 (node interop/ts-mls/peer.mjs; runs"
            + " npm ci first if needed) for every ciphersuite both sides support.",
        "Prints 'PASS|FAIL|SKIP scenario suite=N detail' per scenario and suite, then notes,"
            + " skips, and 'N passed, N failed'; exits 1 on any failure.",
        "Run from the repository root, or set -Dqpq.root=<checkout>."
      })
  static final class TsMls implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--suites", split = ",", paramLabel = "ID",
        description = "Only these ciphersuite ids (default: all both sides support).")
    List<Integer> suites = List.of();

    @Option(names = "--bench",
        description = "Instead of the scenarios: time the same operations in qpq-mls and ts-mls"
            + " (suite 1) side by side; prints medians, ratios and a JSON report.")
    boolean bench;

    @Option(names = "--bench-sizes", split = ",", paramLabel = "M",
        description = "Group sizes for --bench (default: 10,100,1000).")
    List<Integer> benchSizes = List.of(10, 100, 1000);

    @Option(names = "--iterations", paramLabel = "N",
        description = "Timed iterations per operation for --bench (default: 5).")
    int iterations = 5;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        if (bench) {
          MlsPeerBench.run(benchSizes, iterations, out);
          return 0;
        }
        InteropSummary s = InteropSummary.runTsMls(suites, out);
        return s.count(ScenarioResult.Status.FAIL) == 0 && !s.results().isEmpty() ? 0 : 1;
      } catch (InteropException e) {
        err.println("interop ts-mls: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
  }
}
