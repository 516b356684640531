package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void burstThenRefillAtTheRate() {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = new RateLimiter(new RateLimits(10, 3), clock);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(100); // one token per 100 ms
    clock.millis += 50;
    assertThat(limiter.acquire("a")).isEqualTo(50);
    clock.millis += 50;
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isPositive();
    // Identities do not share buckets, and a long pause refills only up to the burst.
    assertThat(limiter.acquire("b")).isZero();
    clock.millis += 60_000;
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).isZero();
    }
    assertThat(limiter.acquire("a")).isPositive();
  }

  @Test
  void aCallCanCostSeveralTokensAllOrNone() {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = new RateLimiter(new RateLimits(10, 5), clock);
    assertThat(limiter.acquire("a", 4)).isZero();
    assertThat(limiter.acquire("a", 3)).isEqualTo(200); // 1 left, 2 more at 100 ms each
    assertThat(limiter.acquire("a")).isZero();           // the refused call took nothing
    clock.millis += 60_000;
    // A cost above the burst is capped at the burst.
    assertThat(limiter.acquire("a", 50)).isZero();
    assertThat(limiter.acquire("a")).isPositive();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.acquire("a", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratesMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RateLimits(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RateLimits(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RateLimits(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idleBucketsAreSweptAtMostOncePerSecond() {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = new RateLimiter(new RateLimits(10, 3), clock, 10);
    // 20 identities with their buckets in use: over the bound, but nothing to drop.
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.acquire("busy" + i)).isZero();
    }
    assertThat(limiter.sweeps()).isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      limiter.acquire("busy" + (i % 20));
    }
    assertThat(limiter.sweeps()).as("no scan per call within the second").isEqualTo(1);
    assertThat(limiter.size()).isEqualTo(20);
    // A second later they have refilled: the next call sweeps them away.
    clock.millis += 1000;
    assertThat(limiter.acquire("new")).isZero();
    assertThat(limiter.sweeps()).isEqualTo(2);
    assertThat(limiter.size()).isEqualTo(1);
  }
}
