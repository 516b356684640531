package org.quicproquo.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results of {@code qpq bench e2e}: measurements (as in {@link org.quicproquo.bench.BenchReport},
 * scenario / impl / metric / value / unit), each target with its figure and PASS or MISS, and the
 * RPC baseline's own report. Printed as it goes and written as JSON. Not thread-safe.
 */
public final class E2eReport {
  /** How a figure is held to its target. */
  enum Bound {
    AT_LEAST(">="), BELOW("<");

    final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }
  }

  /** One target check. */
  record Target(String name, double value, String unit, Bound bound, double target) {
    boolean met() {
      return bound == Bound.AT_LEAST ? value >= target : value < target;
    }
  }

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectNode root = json.createObjectNode();
  private final ArrayNode results = root.putArray("results");
  private final ArrayNode targets = root.putArray("targets");
  private final List<Target> checked = new ArrayList<>();
  private final PrintStream out;

  E2eReport(PrintStream out) {
    this.out = out;
    root.put("benchmark", "e2e");
    root.put("java", System.getProperty("java.version"));
    root.put("cores", Runtime.getRuntime().availableProcessors());
  }

  ObjectNode settings() {
    return root.putObject("settings");
  }

  void note(String key, String value) {
    root.put(key, value);
  }

  void result(String scenario, String metric, double value, String unit) {
    results.addObject().put("scenario", scenario).put("impl", "qpq").put("metric", metric)
        .put("value", value).put("unit", unit);
    out.printf(Locale.ROOT, "%-22s %-46s %12.2f %s%n", scenario, metric, value, unit);
  }

  void baseline(String name, JsonNode report) {
    root.putObject("baselines").set(name, report);
  }

  void target(Target t) {
    checked.add(t);
    targets.addObject().put("name", t.name()).put("value", t.value()).put("unit", t.unit())
        .put("bound", t.bound().symbol).put("target", t.target()).put("met", t.met());
  }

  /** Prints every target beside its figure. */
  void printTargets() {
    out.println();
    out.println("Targets (issue 5, 2 cores):");
    for (Target t : checked) {
      out.printf(Locale.ROOT, "  %-52s %12.2f %-8s target %s %-8s %s%n", t.name(), t.value(),
          t.unit(), t.bound().symbol, fmt(t.target()), t.met() ? "PASS" : "MISS");
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  List<Target> targets() {
    return List.copyOf(checked);
  }

  /** Writes the whole report as JSON. */
  public void writeJson(Path file) throws IOException {
    Files.writeString(file, json.writeValueAsString(root) + "\n");
  }
}
