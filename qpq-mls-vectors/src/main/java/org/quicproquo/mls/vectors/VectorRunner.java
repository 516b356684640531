package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads a vector file, detects its kind and checks every case. */
public final class VectorRunner {
  private final ObjectMapper json = new ObjectMapper();

  /** Outcome of one case. {@code detail} is empty when it passed. */
  public record CaseResult(String file, String caseName, boolean passed, String detail) {}

  /** Parses {@code file} and returns its cases (for JUnit parameterisation). */
  public List<VectorCase> load(Path file) throws VectorFormatException {
    VectorKind kind = VectorKinds.forFile(file).orElseThrow(() ->
        new VectorFormatException("unknown test-vector kind for file " + file.getFileName()));
    JsonNode root;
    try {
      root = json.readTree(file.toFile());
    } catch (IOException e) {
      throw new VectorFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new VectorFormatException(file + " is not a JSON array of test cases");
    }
    return kind.cases(root);
  }

  /** Checks every case of {@code file}. */
  public List<CaseResult> run(Path file) throws VectorFormatException {
    List<CaseResult> out = new ArrayList<>();
    String name = file.getFileName().toString();
    for (VectorCase c : load(file)) {
      try {
        c.check();
        out.add(new CaseResult(name, c.name(), true, ""));
      } catch (Exception | AssertionError e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        out.add(new CaseResult(name, c.name(), false, msg));
      }
    }
    return out;
  }
}
