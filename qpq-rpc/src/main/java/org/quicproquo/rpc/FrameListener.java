package org.quicproquo.rpc;

/**
 * Observes the size of every framed message an endpoint writes to or reads from its QUIC streams
 * (request/response streams and the push stream), segment table and padding included: what an
 * observer of the stream learns about message lengths. For tests and diagnostics
 * ({@code WirePaddingTest}); called on the connection's event loop (or the pushing thread for a
 * push), so it must be thread-safe and fast, and must not throw.
 */
@FunctionalInterface
public interface FrameListener {
  /** A listener that ignores everything. */
  FrameListener NONE = (sent, bytes) -> { };

  /**
   * One frame.
   *
   * @param sent true for a frame this endpoint wrote, false for one it read
   * @param bytes the frame's size on the stream
   */
  void onFrame(boolean sent, int bytes);
}
