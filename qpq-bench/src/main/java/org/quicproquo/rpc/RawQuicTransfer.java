package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the blob benchmark: a bulk transfer of N bytes over one raw QUIC stream, with
 * the same QUIC parameters, certificate type and single I/O thread as {@link RpcServer}. A stream
 * opens with a 9-byte header, {@code 'U'} or {@code 'D'} and N (8 bytes): for U the client sends
 * N bytes and the server answers one byte once it has them all; for D the server sends N bytes.
 * Writes follow the stream's writability, so neither side buffers more than QUIC allows in flight.
 */
public final class RawQuicTransfer implements AutoCloseable {
  private static final int SLICE = 64 << 10;
  private static final byte[] DATA = new byte[SLICE];

  static {
    new java.util.Random(7).nextBytes(DATA);
  }

  private final TlsIdentity identity;
  private final EventLoopGroup group;
  private final Channel channel;

  /** Starts the server side on {@code bind}. */
  public RawQuicTransfer(TlsIdentity identity, RpcLimits limits, InetSocketAddress bind) {
    this.identity = identity;
    group = QuicSettings.newEventLoopGroup("raw-transfer-server");
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
            ch.pipeline().addLast(new ServerSide());
          }
        })
        .build();
    channel = QuicSettings.udpBootstrap(group, codec)
        .bind(bind).syncUninterruptibly().channel();
  }

  /** The server's address. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Sends {@code bytes} to the server on a fresh connection; returns the seconds it took. */
  public double upload(long bytes) throws Exception {
    return transfer('U', bytes);
  }

  /** Receives {@code bytes} from the server on a fresh connection; returns the seconds. */
  public double download(long bytes) throws Exception {
    return transfer('D', bytes);
  }

  private double transfer(char cmd, long bytes) throws Exception {
    try (RpcClient client = RpcClient.builder(localAddress(),
        ServerTrust.pinned(identity.fingerprint())).connect().get(10, TimeUnit.SECONDS)) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      long start = System.nanoTime();
      ClientSide side = new ClientSide(cmd, bytes, done);
      ((RpcClientImpl) client).openBareStream(side).addListener(f -> {
        if (!f.isSuccess()) {
          done.completeExceptionally(f.cause());
        }
      });
      done.get(10, TimeUnit.MINUTES);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    QuicSettings.shutdown(group);
  }

  /** Writes {@code left} bytes while the channel is writable; true when all are written. */
  private static long pump(ChannelHandlerContext ctx, long left) {
    while (left > 0 && ctx.channel().isWritable()) {
      int n = (int) Math.min(SLICE, left);
      ctx.write(Unpooled.wrappedBuffer(DATA, 0, n));
      left -= n;
    }
    ctx.flush();
    return left;
  }

  private static final class ServerSide extends ChannelInboundHandlerAdapter {
    private final ByteBuf header = Unpooled.buffer(9);
    private char cmd;
    private long expected = -1;
    private long received;
    private long toSend;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        if (expected < 0) {
          header.writeBytes(buf, Math.min(buf.readableBytes(), header.writableBytes()));
          if (header.isWritable()) {
            return;
          }
          cmd = (char) header.readByte();
          expected = header.readLong();
          header.release();
          if (cmd == 'D') {
            toSend = pump(ctx, expected);
          }
        }
        received += buf.readableBytes();
        if (cmd == 'U' && received == expected) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        }
      } finally {
        buf.release();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (cmd == 'D' && toSend > 0) {
        toSend = pump(ctx, toSend);
      }
    }
  }

  private static final class ClientSide extends ChannelInboundHandlerAdapter {
    private final char cmd;
    private final long bytes;
    private final CompletableFuture<Long> done;
    private long toSend;
    private long received;

    ClientSide(char cmd, long bytes, CompletableFuture<Long> done) {
      this.cmd = cmd;
      this.bytes = bytes;
      this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.write(Unpooled.buffer(9).writeByte(cmd).writeLong(bytes));
      toSend = cmd == 'U' ? pump(ctx, bytes) : 0;
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (toSend > 0) {
        toSend = pump(ctx, toSend);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      received += buf.readableBytes();
      buf.release();
      if ((cmd == 'U' && received >= 1) || (cmd == 'D' && received >= bytes)) {
        done.complete(received);
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("stream closed early"));
    }
  }
}
