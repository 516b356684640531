package org.quicproquo.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on blobs (docs/wire.md "Blobs").
 *
 * @param maxBlobBytes largest blob (QUOTA_EXCEEDED "BLOB_SIZE" beyond it)
 * @param maxUserBytes total bytes of one user's blobs (QUOTA_EXCEEDED "BLOB_STORAGE")
 * @param minChunkBytes smallest chunk size a blob may declare
 * @param maxChunkBytes largest chunk size; must leave room for the RPC framing within
 *     the RPC message limit
 * @param maxRetention longest lifetime a blob may ask for (and the lifetime when it asks for 0)
 * @param unfinishedRetention how long an unfinished upload is kept before the sweeper deletes it
 * @param sweepInterval how often the sweeper runs
 */
public record BlobLimits(long maxBlobBytes, long maxUserBytes, int minChunkBytes,
    int maxChunkBytes, Duration maxRetention, Duration unfinishedRetention,
    Duration sweepInterval) {
  public BlobLimits {
    if (maxBlobBytes < 1 || maxUserBytes < 1 || minChunkBytes < 1
        || maxChunkBytes < minChunkBytes) {
      throw new IllegalArgumentException("blob limits must be positive and min <= max chunk");
    }
    for (Duration d : new Duration[] {maxRetention, unfinishedRetention, sweepInterval}) {
      Objects.requireNonNull(d, "durations");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("blob durations must be positive");
      }
    }
  }

  /**
   * 2 GiB per blob, 10 GiB per user, chunks of 4 KiB to 4 MiB, kept at most 30 days, unfinished
   * uploads 24 hours, swept every minute.
   */
  public static BlobLimits defaults() {
    return new BlobLimits(2L << 30, 10L << 30, 4 << 10, 4 << 20, Duration.ofDays(30),
        Duration.ofHours(24), Duration.ofMinutes(1));
  }
}
