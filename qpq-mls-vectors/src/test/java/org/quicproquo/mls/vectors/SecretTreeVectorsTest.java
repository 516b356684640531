package org.quicproquo.mls.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class SecretTreeVectorsTest extends VectorFileTest {
  @TestFactory
  Stream<DynamicTest> cases() throws Exception {
    return casesOf("secret-tree.json");
  }
}
