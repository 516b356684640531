package org.quicproquo.bench;

import java.util.Arrays;

/**
 * Collects per-operation latencies in nanoseconds and reports percentiles by the nearest-rank method.
 * Sized up front so recording never allocates. Not thread-safe: give each worker its own and
 * {@link #merge} them afterwards.
 */
public final class Latencies {
  private long[] samples;
  private int count;

  public Latencies(int expected) {
    samples = new long[Math.max(16, expected)];
  }

  public void record(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = nanos;
  }

  public void merge(Latencies other) {
    for (int i = 0; i < other.count; i++) {
      record(other.samples[i]);
    }
  }

  public int count() {
    return count;
  }

  /** The {@code p}-th percentile (0 < p <= 100) in nanoseconds; throws when empty. */
  public long percentile(double p) {
    if (count == 0) {
      throw new IllegalStateException("no samples");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile out of range: " + p);
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, rank - 1)];
  }
}
