package org.quicproquo.interop;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Result of a full ts-mls interop run: every result line, plus notes on suites one side lacks.
 * {@link #runTsMls} is the entry point used by {@code qpq interop ts-mls} and the tests.
 */
public record InteropSummary(List<ScenarioResult> results, List<String> notes) {

  public InteropSummary {
    results = List.copyOf(results);
    notes = List.copyOf(notes);
  }

  /** Results of the given status. */
  public long count(ScenarioResult.Status status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  /**
   * Starts the ts-mls peer of the repository, runs every scenario for every suite both sides
   * support (restricted to {@code onlySuites} unless empty), printing one line per result, the
   * skips and notes, and {@code N passed, N failed} last.
   */
  public static InteropSummary runTsMls(List<Integer> onlySuites, PrintWriter out)
      throws InteropException {
    List<String> notes = new ArrayList<>();
    List<ScenarioResult> results;
    try (TsMlsPeer peer = TsMlsPeer.start(TsMlsPeer.findRoot(), Duration.ofSeconds(120))) {
      InteropRunner runner = new InteropRunner(peer, new SecureRandom());
      List<Integer> suites = new ArrayList<>(runner.commonSuites(notes));
      if (!onlySuites.isEmpty()) {
        for (int s : onlySuites) {
          if (!suites.contains(s)) {
            notes.add("suite=" + s + " requested but not supported by both sides");
          }
        }
        suites.retainAll(onlySuites);
      }
      results = runner.run(suites, r -> {
        out.println(r.line());
        out.flush();
      });
    }
    InteropSummary summary = new InteropSummary(results, notes);
    long skipped = summary.count(ScenarioResult.Status.SKIP);
    for (String n : notes) {
      out.println("NOTE " + n);
    }
    out.println(skipped + " skipped (ts-mls lacks the feature; not counted as passed)");
    out.println(summary.count(ScenarioResult.Status.PASS) + " passed, "
        + summary.count(ScenarioResult.Status.FAIL) + " failed");
    out.flush();
    return summary;
  }
}
