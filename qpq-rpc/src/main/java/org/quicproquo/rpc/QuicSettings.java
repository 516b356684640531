package org.quicproquo.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** QUIC transport parameters both sides derive from {@link RpcLimits}, and thread handling. */
final class QuicSettings {
  private static final Logger LOG = LoggerFactory.getLogger(QuicSettings.class);
  /** Bound on how long close() waits for I/O threads, so a stuck peer cannot hang shutdown. */
  static final long SHUTDOWN_WAIT_MILLIS = 5_000;
  /** Unidirectional streams a client lets the server open (one push stream is used). */
  static final int CLIENT_UNI_STREAMS = 4;

  /**
   * Kernel buffer asked for each UDP socket, both directions. With the Linux default (208 KiB) a
   * receiver whose I/O thread is busy for a millisecond (decoding a 1 MiB blob chunk) overflows
   * its socket: measured 0.5% of packets dropped during bulk transfers on loopback, and each loss
   * halves QUIC's congestion window, which idled both I/O threads a third of the time. The kernel
   * caps the value at {@code net.core.rmem_max}/{@code wmem_max} (docs/operations.md).
   */
  static final int UDP_SOCKET_BUFFER_BYTES = 4 << 20;

  private QuicSettings() {
  }

  /**
   * Logs a warning when the kernel granted a smaller receive buffer than asked (Linux grants at
   * most {@code net.core.rmem_max}; it reports twice the grant, which the JDK halves again).
   */
  static void warnIfBufferCapped(Channel channel) {
    Integer granted = channel.config().getOption(ChannelOption.SO_RCVBUF);
    if (granted != null && granted < UDP_SOCKET_BUFFER_BYTES) {
      LOG.warn("UDP receive buffer is {} bytes, asked for {}: bulk transfers (blobs) will lose "
          + "packets and slow down; raise net.core.rmem_max (docs/operations.md)", granted,
          UDP_SOCKET_BUFFER_BYTES);
    }
  }

  /** A UDP bootstrap on {@code group} with {@link #UDP_SOCKET_BUFFER_BYTES} socket buffers. */
  static Bootstrap udpBootstrap(EventLoopGroup group, ChannelHandler codec) {
    return new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER_BYTES)
        .handler(codec);
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
