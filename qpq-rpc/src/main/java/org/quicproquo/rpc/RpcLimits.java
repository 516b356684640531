package org.quicproquo.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one RPC endpoint. Every limit is enforced before the resource is spent, and
 * exceeding one yields a typed error (an {@code Exception} return, an {@code Abort} or a closed
 * stream), never a crash.
 *
 * @param maxMessageBytes largest framed message (segment table included) accepted or sent
 * @param maxSegments largest segment count in one message
 * @param traversalLimitWords Cap'n Proto traversal limit per received message, in 8-byte words;
 *     bounds the work a message with shared or looping pointers can cause
 * @param nestingLimit Cap'n Proto nesting limit (depth of struct/list pointers followed)
 * @param maxCallsInFlight calls accepted but not yet answered, per QUIC connection (server side);
 *     calls beyond it are answered at once with {@code overloaded / TOO_MANY_CALLS}
 * @param maxStreams bidirectional streams a peer may have open at once per QUIC connection
 * @param maxBufferedBytes bytes of incomplete frames held across all streams of one QUIC
 *     connection; a stream whose partial frame would exceed it is aborted ({@code overloaded}).
 *     Room reserved in advance for a large frame counts too, but only while it fits
 *     ({@code FrameDecoder}); a reservation that does not fit is simply not made
 * @param idleTimeout QUIC max idle timeout: a connection with no traffic this long is closed
 * @param connectTimeout how long a client waits for the QUIC/TLS handshake
 */
public record RpcLimits(
    int maxMessageBytes,
    int maxSegments,
    long traversalLimitWords,
    int nestingLimit,
    int maxCallsInFlight,
    int maxStreams,
    long maxBufferedBytes,
    Duration idleTimeout,
    Duration connectTimeout) {

  /** 16 MiB: room for a 4 MiB blob chunk several times over, small enough to buffer. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  /**
   * The defaults: 16 MiB messages, 64 segments, a traversal limit of 4x the message size, nesting
   * 64, 1024 calls in flight, 64 streams, 64 MiB of partial frames per connection, 60 s idle
   * timeout, 10 s connect timeout.
   */
  public static RpcLimits defaults() {
    return new RpcLimits(DEFAULT_MAX_MESSAGE_BYTES, 64, 4L * DEFAULT_MAX_MESSAGE_BYTES / 8, 64,
        1024, 64, 4L * DEFAULT_MAX_MESSAGE_BYTES, Duration.ofSeconds(60), Duration.ofSeconds(10));
  }

  /** Validates every limit. */
  public RpcLimits {
    if (maxMessageBytes < 64) {
      throw new IllegalArgumentException("maxMessageBytes < 64");
    }
    if (maxSegments < 1 || maxSegments > 1 << 16) {
      throw new IllegalArgumentException("maxSegments outside 1..65536");
    }
    if (traversalLimitWords < 1) {
      throw new IllegalArgumentException("traversalLimitWords < 1");
    }
    if (nestingLimit < 1) {
      throw new IllegalArgumentException("nestingLimit < 1");
    }
    if (maxCallsInFlight < 1) {
      throw new IllegalArgumentException("maxCallsInFlight < 1");
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams < 1");
    }
    if (maxBufferedBytes < maxMessageBytes) {
      throw new IllegalArgumentException("maxBufferedBytes < maxMessageBytes");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
  }

  /**
   * A copy with another message size limit; the buffered-bytes limit is raised to 4x the new size
   * if it would fall below it. The traversal limit is left as it is.
   */
  public RpcLimits withMaxMessageBytes(int value) {
    return new RpcLimits(value, maxSegments, traversalLimitWords, nestingLimit, maxCallsInFlight,
        maxStreams, Math.max(maxBufferedBytes, 4L * value), idleTimeout, connectTimeout);
  }

  /** A copy with another limit on buffered partial frames per connection. */
  public RpcLimits withMaxBufferedBytes(long value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, nestingLimit,
        maxCallsInFlight, maxStreams, value, idleTimeout, connectTimeout);
  }

  /** A copy with another segment count limit. */
  public RpcLimits withMaxSegments(int value) {
    return new RpcLimits(maxMessageBytes, value, traversalLimitWords, nestingLimit,
        maxCallsInFlight, maxStreams, maxBufferedBytes, idleTimeout, connectTimeout);
  }

  /** A copy with another traversal limit. */
  public RpcLimits withTraversalLimitWords(long value) {
    return new RpcLimits(maxMessageBytes, maxSegments, value, nestingLimit, maxCallsInFlight,
        maxStreams, maxBufferedBytes, idleTimeout, connectTimeout);
  }

  /** A copy with another nesting limit. */
  public RpcLimits withNestingLimit(int value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, value,
        maxCallsInFlight, maxStreams, maxBufferedBytes, idleTimeout, connectTimeout);
  }

  /** A copy with another limit on calls in flight per connection. */
  public RpcLimits withMaxCallsInFlight(int value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, nestingLimit, value,
        maxStreams, maxBufferedBytes, idleTimeout, connectTimeout);
  }

  /** A copy with another limit on open streams per connection. */
  public RpcLimits withMaxStreams(int value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, nestingLimit,
        maxCallsInFlight, value, maxBufferedBytes, idleTimeout, connectTimeout);
  }

  /** A copy with another idle timeout. */
  public RpcLimits withIdleTimeout(Duration value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, nestingLimit,
        maxCallsInFlight, maxStreams, maxBufferedBytes, value, connectTimeout);
  }

  /** A copy with another connect timeout. */
  public RpcLimits withConnectTimeout(Duration value) {
    return new RpcLimits(maxMessageBytes, maxSegments, traversalLimitWords, nestingLimit,
        maxCallsInFlight, maxStreams, maxBufferedBytes, idleTimeout, value);
  }
}
