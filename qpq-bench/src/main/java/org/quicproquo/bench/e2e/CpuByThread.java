package org.quicproquo.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process split by what its threads do, from {@link ThreadMXBean} thread CPU
 * times grouped by thread name: the messengers' own threads, client and server QUIC I/O, server
 * workers, the server's store writer, the benchmark's senders, and the rest of the process (GC,
 * JIT and other JVM threads: total process CPU minus the Java threads). Threads that end between
 * two snapshots are lost from their group and counted in the rest.
 */
final class CpuByThread {
  private static final String[][] GROUPS = {
      {"qpq-messenger", "messenger (SDK actor: MLS, SQLite)"},
      {"qpq-rpc-client", "client QUIC I/O"},
      {"qpq-rpc-server", "server QUIC I/O"},
      {"qpq-worker", "server workers"},
      {"qpq-store-writer", "server store writer"},
      {"bench-sender", "bench senders (send callers)"},
  };
  static final String REST = "JVM (GC, JIT) and other";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<String, Long> at;
  private final long processAt;

  private CpuByThread(Map<String, Long> at, long processAt) {
    this.at = at;
    this.processAt = processAt;
  }

  static CpuByThread now() {
    CpuByThread probe = new CpuByThread(Map.of(), 0);
    return new CpuByThread(probe.perGroup(), processCpuNanos());
  }

  /** Nanoseconds of CPU per group since this snapshot, REST included. */
  Map<String, Long> since() {
    Map<String, Long> now = perGroup();
    long process = processCpuNanos() - processAt;
    Map<String, Long> out = new LinkedHashMap<>();
    long java = 0;
    for (Map.Entry<String, Long> e : now.entrySet()) {
      long d = Math.max(0, e.getValue() - at.getOrDefault(e.getKey(), 0L));
      out.put(e.getKey(), d);
      java += d;
    }
    out.put(REST, Math.max(0, process - java));
    return out;
  }

  private Map<String, Long> perGroup() {
    Map<String, Long> sums = new LinkedHashMap<>();
    for (String[] g : GROUPS) {
      sums.put(g[1], 0L);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      String group = null;
      for (String[] g : GROUPS) {
        if (info.getThreadName().startsWith(g[0])) {
          group = g[1];
          break;
        }
      }
      sums.merge(group == null ? "other Java threads" : group, cpu, Long::sum);
    }
    return sums;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
