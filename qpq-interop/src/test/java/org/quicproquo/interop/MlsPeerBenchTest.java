package org.quicproquo.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The side-by-side benchmark runs on a small group and reports every op for both sides. */
class MlsPeerBenchTest {

  @Test
  void reportsEveryOpOnBothSides() throws Exception {
    StringWriter text = new StringWriter();
    JsonNode report = MlsPeerBench.run(List.of(4), 1, 0, new PrintWriter(text));
    JsonNode rows = report.get("results");
    assertThat(rows).hasSize(MlsPeerBench.OPS.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("op").asText()).isEqualTo(MlsPeerBench.OPS.get(i));
      assertThat(row.get("groupSize").asInt()).isEqualTo(4);
      assertThat(row.get("qpqMlsMedianMs").asDouble()).isPositive();
      assertThat(row.get("tsMlsMedianMs").asDouble()).isPositive();
    }
    assertThat(text.toString()).contains("size=4", "ratio", "\"results\"");
  }
}
