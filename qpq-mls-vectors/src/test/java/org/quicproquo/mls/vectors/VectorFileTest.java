package org.quicproquo.mls.vectors;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Base for the one-test-per-file conformance tests: each case of the named official file becomes a
 * dynamic test, so the counts show in the report. A missing directory or file fails the test.
 */
abstract class VectorFileTest {
  /** Dynamic tests for every case of {@code fileName} in the vector directory. */
  static Stream<DynamicTest> casesOf(String fileName) throws Exception {
    Path file = VectorFiles.file(fileName);
    List<VectorCase> cases = new VectorRunner().load(file);
    if (cases.isEmpty()) {
      throw new AssertionError(fileName + " has no cases");
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), c::check));
  }
}
