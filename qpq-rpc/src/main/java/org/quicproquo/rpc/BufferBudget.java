package org.quicproquo.rpc;

/**
 * Bytes of incomplete frames held by the frame decoders of one QUIC connection. Each stream may
 * buffer one partial message of up to the message limit; without a shared budget a peer could
 * make a connection hold {@code maxStreams x maxMessageBytes}. Used only on the connection's
 * event loop (all its streams share it), so it needs no locking.
 */
final class BufferBudget {
  private final long max;
  private long used;

  BufferBudget(long max) {
    this.max = max;
  }

  /**
   * Changes one stream's share by {@code delta} bytes.
   *
   * @throws FrameException ({@code overloaded}) if the connection would hold more than allowed;
   *     the share is then left unchanged
   */
  void adjust(long delta) {
    if (delta > 0 && used + delta > max) {
      throw new FrameException(ExceptionType.OVERLOADED, RpcErrors.TOO_MUCH_BUFFERED,
          "partial messages on this connection exceed " + max + " bytes");
    }
    used += delta;
  }

  /** Whether {@link #adjust} would accept {@code delta}. */
  boolean fits(long delta) {
    return delta <= 0 || used + delta <= max;
  }

  long used() {
    return used;
  }
}
