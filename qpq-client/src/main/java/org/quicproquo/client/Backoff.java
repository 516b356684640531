package org.quicproquo.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code initial} up to {@code max}, with "full jitter" so that many
 * clients reconnecting after a server restart do not arrive in lock-step.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || multiplier < 1.0) {
      throw new IllegalArgumentException("invalid backoff " + initial + ".." + max + " x" + multiplier);
    }
  }

  /** 100 ms doubling up to 10 s. */
  public static Backoff defaults() {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0);
  }

  /** Upper bound of the delay before attempt {@code attempt} (0-based). */
  public Duration ceiling(int attempt) {
    double ms = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt));
    return Duration.ofMillis((long) Math.min(ms, max.toMillis()));
  }

  /** A jittered delay in {@code [ceiling/2, ceiling]} before attempt {@code attempt}. */
  public Duration delay(int attempt, RandomGenerator random) {
    long c = ceiling(attempt).toMillis();
    return Duration.ofMillis(c / 2 + random.nextLong(c / 2 + 1));
  }
}
