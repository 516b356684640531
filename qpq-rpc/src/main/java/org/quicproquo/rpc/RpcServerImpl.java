package org.quicproquo.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The QUIC server: one UDP channel, one I/O thread, one {@link ServerConnectionImpl} each. */
final class RpcServerImpl implements RpcServer {
  static final AttributeKey<ServerConnectionImpl> CONNECTION =
      AttributeKey.valueOf(RpcServerImpl.class, "connection");

  private final EventLoopGroup group;
  private final Channel channel;
  private final ChannelGroup connections;
  private final CertificateFingerprint fingerprint;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RpcServerImpl(EventLoopGroup group, Channel channel, ChannelGroup connections,
      CertificateFingerprint fingerprint) {
    this.group = group;
    this.channel = channel;
    this.connections = connections;
    this.fingerprint = fingerprint;
  }

  /** Binds and starts a server serving Cap'n Proto RPC on every bidirectional stream. */
  static RpcServer start(RpcServer.Builder b) {
    RpcLimits limits = b.limits;
    EventLoopGroup group = QuicSettings.newEventLoopGroup("qpq-rpc-server");
    try {
      QuicSslContext ssl = QuicSslContextBuilder
          .forServer(b.identity.privateKey(), null, b.identity.certificate())
          .applicationProtocols(RpcServer.ALPN)
          .build();
      ChannelGroup connections = new DefaultChannelGroup(group.next());
      AtomicLong ids = new AtomicLong();
      var codec = QuicSettings.apply(new QuicServerCodecBuilder(), limits)
          .sslContext(ssl)
          .initialMaxStreamsBidirectional(limits.maxStreams())
          // Clients may not open unidirectional streams: nothing on the server reads them.
          .initialMaxStreamsUnidirectional(0)
          .initialMaxStreamDataUnidirectional(0)
          .tokenHandler(new RetryTokenHandler(
              b.random != null ? b.random : new SecureRandom(), b.clock))
          .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .handler(new ChannelInitializer<QuicChannel>() {
            @Override
            protected void initChannel(QuicChannel ch) {
              ch.attr(WireOptions.KEY).set(new WireOptions(b.padding, b.frameListener));
              ch.attr(CONNECTION).set(new ServerConnectionImpl(ids.incrementAndGet(), ch, limits,
                  b.bootstrap));
              connections.add(ch);
            }
          })
          .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
              ServerConnectionImpl conn = ch.parent().attr(CONNECTION).get();
              if (conn == null || ch.type() != QuicStreamType.BIDIRECTIONAL) {
                ch.close();
                return;
              }
              ch.pipeline().addLast(new FrameDecoder(limits, conn.budget()), new ServerVat(conn, b.executor, b.redaction));
            }
          })
          .build();
      Channel channel = QuicSettings.udpBootstrap(group, codec)
          .bind(b.bind)
          .syncUninterruptibly()
          .channel();
      QuicSettings.warnIfBufferCapped(channel);
      return new RpcServerImpl(group, channel, connections, b.identity.fingerprint());
    } catch (RuntimeException e) {
      QuicSettings.shutdown(group);
      if (e instanceof RpcException r) {
        throw r;
      }
      throw new RpcException(ExceptionType.FAILED, RpcErrors.CONNECT_FAILED,
          "cannot start server on " + b.bind + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public CertificateFingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Closing the QUIC channels first sends CONNECTION_CLOSE to clients instead of going silent.
    boolean onLoop = channel.eventLoop().inEventLoop();
    var c = connections.close();
    if (!onLoop) {
      c.awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    }
    var u = channel.close();
    if (!onLoop) {
      u.awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    }
    QuicSettings.shutdown(group);
  }
}
