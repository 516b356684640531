package org.quicproquo.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,19})\\s*(?:([KMGT])(?:i?B)?|B)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9})([smhd])", Pattern.CASE_INSENSITIVE);

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

  /** These limits with another largest blob. */
  public BlobLimits withMaxBlobBytes(long bytes) {
    return new BlobLimits(bytes, maxUserBytes, minChunkBytes, maxChunkBytes, maxRetention,
        unfinishedRetention, sweepInterval);
  }

  /** These limits with another total per user. */
  public BlobLimits withMaxUserBytes(long bytes) {
    return new BlobLimits(maxBlobBytes, bytes, minChunkBytes, maxChunkBytes, maxRetention,
        unfinishedRetention, sweepInterval);
  }

  /** These limits with another longest (and default) lifetime. */
  public BlobLimits withMaxRetention(Duration retention) {
    return new BlobLimits(maxBlobBytes, maxUserBytes, minChunkBytes, maxChunkBytes, retention,
        unfinishedRetention, sweepInterval);
  }

  /**
   * Parses a size as operators write it: a whole number of bytes, optionally followed by
   * {@code K}, {@code M}, {@code G} or {@code T} (powers of 1024; {@code KiB}, {@code MiB},
   * ... and a trailing {@code B} are accepted too), e.g. {@code 2GiB}, {@code 500M}, {@code 4096}.
   *
   * @throws IllegalArgumentException if the text is no such size, not positive, or overflows
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size such as 4096, 500MiB or 2GiB, not \""
          + text + "\"");
    }
    int shift = m.group(2) == null ? 0
        : 10 * ("KMGT".indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1);
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: " + text);
    }
    if (n < 1) {
      throw new IllegalArgumentException("size must be positive: " + text);
    }
    if (n > Long.MAX_VALUE >> shift) {
      throw new IllegalArgumentException("size too large: " + text);
    }
    return n << shift;
  }

  /**
   * Parses a lifetime as operators write it: a whole number followed by {@code s}, {@code m},
   * {@code h} or {@code d} (e.g. {@code 30d}, {@code 12h}), or an ISO-8601 duration
   * ({@code P30D}).
   *
   * @throws IllegalArgumentException if the text is no such duration or not positive
   */
  public static Duration parseDuration(String text) {
    String t = text.strip();
    Matcher m = DURATION.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (Character.toLowerCase(m.group(2).charAt(0))) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } else {
      try {
        d = Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expected a duration such as 30d, 12h or 90m, not \""
            + text + "\"");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive: " + text);
    }
    return d;
  }
}
