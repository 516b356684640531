package org.quicproquo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void nearestRankPercentiles() {
    Latencies l = new Latencies(4);
    for (int i = 100; i >= 1; i--) {
      l.record(i);
    }
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentile(50)).isEqualTo(50);
    assertThat(l.percentile(99)).isEqualTo(99);
    assertThat(l.percentile(100)).isEqualTo(100);
  }

  @Test
  void mergeAndEmpty() {
    Latencies a = new Latencies(1);
    assertThatThrownBy(() -> a.percentile(50)).isInstanceOf(IllegalStateException.class);
    Latencies b = new Latencies(1);
    b.record(7);
    a.merge(b);
    assertThat(a.percentile(50)).isEqualTo(7);
  }
}
