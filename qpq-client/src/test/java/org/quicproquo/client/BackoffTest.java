package org.quicproquo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void growsThenCapsAndJitterStaysInRange() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);
    assertThat(b.ceiling(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.ceiling(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.ceiling(30)).isEqualTo(Duration.ofSeconds(1));
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      long d = b.delay(4, r).toMillis();
      assertThat(d).isBetween(500L, 1000L);
    }
  }
}
