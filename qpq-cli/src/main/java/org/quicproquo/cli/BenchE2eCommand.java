package org.quicproquo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.quicproquo.bench.e2e.E2eBench;
import org.quicproquo.bench.e2e.E2eReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qpq bench e2e}: end-to-end message throughput and latency through the SDK and an
 * embedded server, beside the raw RPC baseline, and server heap with idle clients (see
 * {@link E2eBench}).
 */
@Command(
    name = "e2e",
    mixinStandardHelpOptions = true,
    description = "Messages delivered end to end (SDK -> server -> SDK over loopback QUIC, real "
        + "SQLite files) for 1:1 DMs and groups of 10 with 1/10/100 sending clients, p99 at a "
        + "paced 500 msg/s, the raw RPC rate beside them, and server heap with 1,000 idle "
        + "clients (targets: >= 3,000 1:1 msg/s; p99 < 50 ms at 500 msg/s; heap < 512 MiB).")
final class BenchE2eCommand implements Callable<Integer> {
  @Option(names = "--json", paramLabel = "FILE", description = "Also write results as JSON.")
  Path json;

  @Option(names = "--quick",
      description = "Smoke run: 1 and 10 clients, small counts, half a paced second, 20 idle clients.")
  boolean quick;

  @Option(names = "--clients", split = ",", paramLabel = "N",
      description = "Concurrent senders per configuration (default 1,10,100; quick 1,10).")
  List<Integer> clients;

  @Option(names = "--idle-clients", paramLabel = "N",
      description = "Idle clients for the heap measurement (default 1000; quick 20; 0 skips).")
  Integer idleClients;

  @Option(names = "--temp-root", paramLabel = "DIR",
      description = "Where to put the run's SQLite files (default: the system temp directory). "
          + "For profiling: a tmpfs such as /dev/shm takes fsync out of the figures.")
  Path tempRoot;

  @Option(names = "--dm-messages", paramLabel = "N",
      description = "Measured messages per 1:1 configuration (default 20000; quick 60; 0 skips).")
  Integer dmMessages;

  @Option(names = "--group-messages", paramLabel = "N",
      description = "Measured messages per group configuration (default 600; quick 20; 0 skips).")
  Integer groupMessages;

  @Option(names = "--paced-rate", paramLabel = "MSG_PER_S",
      description = "Rate of the paced 1:1 run (default 500; 0 skips).")
  Double pacedRate;

  @Option(names = "--paced-seconds", paramLabel = "S",
      description = "Measured seconds of the paced run (default 5; quick 0.5).")
  Double pacedSeconds;

  @Option(names = "--paced-warmup", paramLabel = "S",
      description = "Unmeasured seconds at the paced rate before it (default 5; quick 0.25).")
  Double pacedWarmup;

  @Option(names = "--skip-rpc", description = "Skip the raw RPC baseline.")
  boolean skipRpc;

  @Option(names = "--skip-messaging",
      description = "Skip the messaging runs (only the RPC baseline and idle clients).")
  boolean skipMessaging;

  @Option(names = "--sync-send",
      description = "Senders call the blocking sendText, one message per call and local "
          + "transaction, instead of sendTextAsync (for comparison).")
  boolean syncSend;

  @Option(names = "--jvm-warmup", paramLabel = "S",
      description = "Unmeasured seconds of DM and group traffic before the closed-loop runs, "
          + "so they measure compiled code (default 40; quick 0).")
  Double jvmWarmup;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true);
    E2eBench.Settings s = quick ? E2eBench.Settings.quick() : E2eBench.Settings.standard();
    s = new E2eBench.Settings(clients != null ? clients : s.clients(),
        dmMessages != null ? dmMessages : s.dmMessages(),
        groupMessages != null ? groupMessages : s.groupMessages(), s.window(),
        pacedRate != null ? pacedRate : s.pacedRate(), s.pacedSenders(),
        pacedSeconds != null ? pacedSeconds : s.pacedSeconds(),
        pacedWarmup != null ? pacedWarmup : s.pacedWarmup(),
        idleClients != null ? idleClients : s.idleClients(), skipRpc ? 0 : s.rpcSeconds(),
        s.timeout(), tempRoot, !skipMessaging, syncSend,
        jvmWarmup != null ? jvmWarmup : s.jvmWarmup());
    E2eReport report = new E2eBench(s, out).run();
    if (json != null) {
      report.writeJson(json);
      out.println("JSON written to " + json);
    }
    return 0;
  }
}
