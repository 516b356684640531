package org.quicproquo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine-readable result of one benchmark run: a flat list of measurements, each naming the
 * scenario, the implementation measured (ours or the baseline run beside it) and the metric, plus
 * comparisons (ratio of ours to the baseline). Printed as text lines and written as JSON.
 */
public final class BenchReport {
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ObjectNode root = json.createObjectNode();
  private final ArrayNode results = root.putArray("results");
  private final ArrayNode comparisons = root.putArray("comparisons");
  private final PrintStream out;

  public BenchReport(String benchmark, PrintStream out) {
    this.out = out;
    root.put("benchmark", benchmark);
    root.put("java", System.getProperty("java.version"));
    root.put("cores", Runtime.getRuntime().availableProcessors());
  }

  /** Records and prints one measurement. */
  public void result(String scenario, String impl, String metric, double value, String unit) {
    ObjectNode n = results.addObject();
    n.put("scenario", scenario).put("impl", impl).put("metric", metric).put("value", value)
        .put("unit", unit);
    out.printf(Locale.ROOT, "%-28s %-12s %-16s %14.2f %s%n", scenario, impl, metric, value, unit);
  }

  /** Records and prints {@code ours / baseline} with the target it is held to. */
  public void ratio(String name, double ours, double baseline, double target) {
    double ratio = ours / baseline;
    boolean met = ratio >= target;
    comparisons.addObject().put("name", name).put("ratio", ratio).put("target", target)
        .put("met", met);
    out.printf(Locale.ROOT, "%-28s ratio %.3f (target >= %.2f: %s)%n", name, ratio, target,
        met ? "met" : "NOT met");
  }

  public void writeJson(Path file) throws IOException {
    Files.writeString(file, json.writeValueAsString(root) + "\n");
  }
}
