package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetSocketAddress;

/**
 * The baseline the RPC benchmark is compared with: a Netty QUIC server that echoes every byte of
 * every bidirectional stream, with the same QUIC parameters, certificate and single I/O thread as
 * {@link RpcServer}, so the difference measured is what Cap'n Proto RPC costs.
 */
final class RawQuicEchoServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  RawQuicEchoServer(TlsIdentity identity, RpcLimits limits, InetSocketAddress bind) {
    group = QuicSettings.newEventLoopGroup("raw-echo-server");
    QuicSslContext ssl = QuicSslContextBuilder
        .forServer(identity.privateKey(), null, identity.certificate())
        .applicationProtocols(RpcServer.ALPN)
        .build();
    var codec = QuicSettings.apply(new QuicServerCodecBuilder(), limits)
        .sslContext(ssl)
        .initialMaxStreamsBidirectional(limits.maxStreams())
        .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
        .handler(new ChannelInitializer<QuicChannel>() {
          @Override
          protected void initChannel(QuicChannel ch) {}
        })
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.write(msg);
              }

              @Override
              public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
              }
            });
          }
        })
        .build();
    channel = QuicSettings.udpBootstrap(group, codec)
        .bind(bind).syncUninterruptibly().channel();
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    QuicSettings.shutdown(group);
  }

  /** Counts echoed bytes on one client stream; a round trip ends when a whole payload is back. */
  static final class Lane extends ChannelInboundHandlerAdapter {
    private final byte[] payload;
    private final Runnable onRoundTrip;
    private int received;

    Lane(byte[] payload, Runnable onRoundTrip) {
      this.payload = payload;
      this.onRoundTrip = onRoundTrip;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        received += buf.readableBytes();
      } finally {
        buf.release();
      }
      while (received >= payload.length) {
        received -= payload.length;
        onRoundTrip.run();
      }
    }
  }
}
