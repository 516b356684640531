package org.quicproquo.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
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

  /**
   * Whether Netty's native epoll transport loaded (Linux); NIO otherwise. With epoll one
   * {@code recvmmsg} call reads up to {@link #DATAGRAMS_PER_READ} datagrams, where NIO makes a
   * system call (and a JDK lock round) per datagram: the server's single I/O thread receives the
   * datagrams of every connection.
   */
  static final boolean EPOLL = Epoll.isAvailable();

  /** Datagrams one epoll read may take at once. */
  static final int DATAGRAMS_PER_READ = 16;

  /**
   * Largest UDP payload read, and announced to the peer as max_udp_payload_size (RFC 9000
   * §18.2), so no peer sends more: NIO's datagram reads already cut at 2,048 bytes, and quiche
   * sends at most 1,350 by default.
   */
  static final int MAX_DATAGRAM_BYTES = 2_048;

  private QuicSettings() {
  }

  /**
   * Logs a warning when the kernel granted a smaller receive buffer than asked (Linux grants at
   * most {@code net.core.rmem_max}).
   */
  static void warnIfBufferCapped(Channel channel) {
    int granted = grantedReceiveBuffer(channel);
    if (granted >= 0 && granted < UDP_SOCKET_BUFFER_BYTES) {
      LOG.warn("UDP receive buffer is {} bytes, asked for {}: bulk transfers (blobs) will lose "
          + "packets and slow down; raise net.core.rmem_max (docs/operations.md)", granted,
          UDP_SOCKET_BUFFER_BYTES);
    }
  }

  /**
   * The receive buffer the kernel granted a UDP channel, or -1 if unknown. Linux reports twice
   * the grant (its bookkeeping overhead); the JDK's NIO halves that again, epoll does not.
   */
  static int grantedReceiveBuffer(Channel channel) {
    Integer reported = channel.config().getOption(ChannelOption.SO_RCVBUF);
    if (reported == null) {
      return -1;
    }
    return channel instanceof EpollDatagramChannel ? reported / 2 : reported;
  }

  /** A UDP bootstrap on {@code group} with {@link #UDP_SOCKET_BUFFER_BYTES} socket buffers. */
  static Bootstrap udpBootstrap(EventLoopGroup group, ChannelHandler codec) {
    Bootstrap b = new Bootstrap().group(group)
        .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER_BYTES)
        .handler(codec);
    if (!EPOLL) {
      return b.channel(NioDatagramChannel.class);
    }
    return b.channel(EpollDatagramChannel.class)
        // both set: epoll then reads with recvmmsg, DATAGRAMS_PER_READ datagrams per call
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM_BYTES)
        .option(ChannelOption.RCVBUF_ALLOCATOR,
            new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES * DATAGRAMS_PER_READ));
  }

  /**
   * Applies the parameters common to client and server. A stream's window holds one whole
   * message; the connection window two, so one stalled stream cannot starve the others.
   */
  static <B extends QuicCodecBuilder<B>> B apply(B builder, RpcLimits limits) {
    long window = limits.maxMessageBytes();
    return builder
        .maxIdleTimeout(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .maxRecvUdpPayloadSize(MAX_DATAGRAM_BYTES)
        .initialMaxData(2 * window)
        .initialMaxStreamDataBidirectionalLocal(window)
        .initialMaxStreamDataBidirectionalRemote(window)
        .activeMigration(false);
  }

  /** One daemon I/O thread: daemon so a forgotten close() cannot keep a JVM alive. */
  static EventLoopGroup newEventLoopGroup(String name) {
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true),
        EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
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
