package org.quicproquo.server;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Token buckets per identity, in memory. Thread-safe. */
final class RateLimiter {
  /** Above this many identities, full buckets are dropped (they hold no information). */
  private static final int MAX_IDLE_BUCKETS = 100_000;

  /**
   * Sweeps at most this often: when the buckets above the bound are all in use (many addresses
   * calling at once), sweeping on every call would scan them all per call.
   */
  private static final long SWEEP_INTERVAL_MILLIS = 1000;

  private final RateLimits limits;
  private final Clock clock;
  private final int maxIdleBuckets;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong sweeps = new AtomicLong();

  RateLimiter(RateLimits limits, Clock clock) {
    this(limits, clock, MAX_IDLE_BUCKETS);
  }

  RateLimiter(RateLimits limits, Clock clock, int maxIdleBuckets) {
    this.limits = limits;
    this.clock = clock;
    this.maxIdleBuckets = maxIdleBuckets;
  }

  /**
   * Takes one token for {@code identity}.
   *
   * @return 0 if allowed, otherwise how many milliseconds until a token is available
   */
  long acquire(String identity) {
    return acquire(identity, 1);
  }

  /**
   * Takes {@code cost} tokens for {@code identity}, all or none: calls that make the server do
   * work per item (KeyPackage signatures) cost one token per item. A cost above the burst is
   * capped at the burst, so every call can eventually pass.
   *
   * @return 0 if allowed, otherwise how many milliseconds until enough tokens are available
   * @throws IllegalArgumentException if {@code cost < 1}
   */
  long acquire(String identity, int cost) {
    if (cost < 1) {
      throw new IllegalArgumentException("cost must be positive: " + cost);
    }
    long now = clock.millis();
    if (buckets.size() > maxIdleBuckets) {
      long due = nextSweep.get();
      if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_MILLIS)) {
        sweeps.incrementAndGet();
        buckets.values().removeIf(b -> b.isFull(now));
      }
    }
    return buckets.computeIfAbsent(identity, k -> new Bucket(limits.burst(), now))
        .take(now, Math.min(cost, limits.burst()));
  }

  /** Identities with a bucket (tests). */
  int size() {
    return buckets.size();
  }

  /** Sweeps done so far (tests). */
  long sweeps() {
    return sweeps.get();
  }

  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }

    synchronized long take(long now, int cost) {
      refill(now);
      if (tokens >= cost) {
        tokens -= cost;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((cost - tokens) * 1000 / limits.perSecond()));
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= limits.burst();
    }

    private void refill(long now) {
      if (now > last) {
        tokens = Math.min(limits.burst(), tokens + (now - last) * limits.perSecond() / 1000);
        last = now;
      }
    }
  }
}
