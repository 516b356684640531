package org.quicproquo.mls.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class KeyScheduleVectorsTest extends VectorFileTest {
  @TestFactory
  Stream<DynamicTest> cases() throws Exception {
    return casesOf("key-schedule.json");
  }
}
