package org.quicproquo.rpc;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** QUIC transport parameters both sides derive from {@link RpcLimits}, and thread handling. */
final class QuicSettings {
  /** Bound on how long close() waits for I/O threads, so a stuck peer cannot hang shutdown. */
  static final long SHUTDOWN_WAIT_MILLIS = 5_000;
  /** Unidirectional streams a client lets the server open (one push stream is used). */
  static final int CLIENT_UNI_STREAMS = 4;

  private QuicSettings() {
  }

  /**
   * Applies the parameters common to client and server. A stream's window holds one whole
   * message; the connection window two, so one stalled stream cannot starve the others.
   */
  static <B extends QuicCodecBuilder<B>> B apply(B builder, RpcLimits limits) {
    long window = limits.maxMessageBytes();
    return builder
        .maxIdleTimeout(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(2 * window)
        .initialMaxStreamDataBidirectionalLocal(window)
        .initialMaxStreamDataBidirectionalRemote(window)
        .activeMigration(false);
  }

  /** One daemon I/O thread: daemon so a forgotten close() cannot keep a JVM alive. */
  static EventLoopGroup newEventLoopGroup(String name) {
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true),
        NioIoHandler.newFactory());
  }

  /** Shuts a group down; waits (bounded) unless called from one of its own threads. */
  static void shutdown(EventLoopGroup group) {
    var f = group.shutdownGracefully(0, SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    boolean own = false;
    for (var executor : group) {
      own |= executor.inEventLoop();
    }
    if (!own) {
      f.awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS + 1_000);
    }
  }
}
