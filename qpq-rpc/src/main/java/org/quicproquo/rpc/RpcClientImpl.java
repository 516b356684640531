package org.quicproquo.rpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The client side of one QUIC connection, with its own UDP socket and I/O thread. */
final class RpcClientImpl implements RpcClient {
  private final EventLoopGroup group;
  private final Channel udp;
  private final QuicChannel quic;
  private final RpcLimits limits;
  private final BufferBudget budget;
  private final CertificateFingerprint serverFingerprint;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicBoolean closing = new AtomicBoolean();

  private RpcClientImpl(EventLoopGroup group, Channel udp, QuicChannel quic, RpcLimits limits,
      BufferBudget budget, CertificateFingerprint serverFingerprint) {
    this.group = group;
    this.udp = udp;
    this.quic = quic;
    this.limits = limits;
    this.budget = budget;
    this.serverFingerprint = serverFingerprint;
    quic.closeFuture().addListener(f -> closed.complete(null));
  }

  static CompletableFuture<RpcClient> connect(RpcClient.Builder b) {
    RpcLimits limits = b.limits;
    EventLoopGroup group = QuicSettings.newEventLoopGroup("qpq-rpc-client");
    PinningTrustManager trust = new PinningTrustManager(b.serverName, b.trust);
    BufferBudget budget = new BufferBudget(limits.maxBufferedBytes());
    CompletableFuture<RpcClient> result = new CompletableFuture<>();
    Channel udp;
    try {
      QuicSslContext ssl = QuicSslContextBuilder.forClient()
          .trustManager(trust)
          .applicationProtocols(RpcServer.ALPN)
          .build();
      ChannelHandler codec = QuicSettings.apply(new QuicClientCodecBuilder(), limits)
          .sslContext(ssl)
          // The server opens no bidirectional streams, only the push stream.
          .initialMaxStreamsBidirectional(0)
          .initialMaxStreamsUnidirectional(QuicSettings.CLIENT_UNI_STREAMS)
          .initialMaxStreamDataUnidirectional(limits.maxMessageBytes())
          .build();
      udp = QuicSettings.udpBootstrap(group, codec)
          .bind(0).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      QuicSettings.shutdown(group);
      return CompletableFuture.failedFuture(new RpcException(ExceptionType.DISCONNECTED,
          RpcErrors.CONNECT_FAILED, "cannot set up QUIC client: " + e.getMessage(), e));
    }
    Future<QuicChannel> connecting = QuicChannel.newBootstrap(udp)
        .handler(new ChannelInboundHandlerAdapter())
        .attr(WireOptions.KEY, new WireOptions(b.padding, b.frameListener))
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel ch) {
            if (ch.type() != QuicStreamType.UNIDIRECTIONAL) {
              ch.close();
              return;
            }
            ch.pipeline().addLast(new FrameDecoder(limits, budget), new PushHandler(b.events));
          }
        })
        .remoteAddress(b.server)
        .connect();
    AtomicBoolean timedOut = new AtomicBoolean();
    // Closing the UDP channel fails the handshake promise cleanly (cancelling it does not).
    var timeout = group.next().schedule(() -> {
      timedOut.set(true);
      udp.close();
    }, limits.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    connecting.addListener(f -> {
      timeout.cancel(false);
      if (f.isSuccess()) {
        QuicChannel quic = connecting.getNow();
        result.complete(new RpcClientImpl(group, udp, quic, limits, budget, trust.accepted()));
        return;
      }
      RpcException error = trust.refusal();
      if (error == null) {
        String why = timedOut.get() ? "timed out after " + limits.connectTimeout()
            : String.valueOf(f.cause());
        error = new RpcException(ExceptionType.DISCONNECTED, RpcErrors.CONNECT_FAILED,
            "cannot connect to " + b.serverName + ": " + why, f.cause());
      }
      udp.close();
      QuicSettings.shutdown(group);
      result.completeExceptionally(error);
    });
    return result;
  }

  @Override
  public CompletableFuture<RpcConnection> openStream() {
    ClientVat vat = new ClientVat(limits);
    CompletableFuture<RpcConnection> result = new CompletableFuture<>();
    openRawStream(vat).addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(streamRefused(f.cause()));
        return;
      }
      vat.bootstrap().whenComplete((ok, e) -> {
        if (e == null) {
          result.complete(vat);
        } else {
          result.completeExceptionally(e);
        }
      });
    });
    return result;
  }

  /** Opens a bidirectional stream with a frame decoder in front of {@code handler}. */
  Future<QuicStreamChannel> openRawStream(ChannelHandler handler) {
    Promise<QuicStreamChannel> promise = quic.eventLoop().newPromise();
    if (quic.eventLoop().isShuttingDown()) {
      return promise.setFailure(new IllegalStateException("client is closed"));
    }
    quic.eventLoop().execute(() -> {
      // Netty burns a stream id on every createStream, even one refused for lack of credit, and
      // quiche then refuses all later ids too. So never ask without credit.
      if (quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) <= 0) {
        promise.setFailure(new IllegalStateException("the server allows no more streams now"));
        return;
      }
      quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
        @Override
        protected void initChannel(QuicStreamChannel ch) {
          ch.pipeline().addLast(new FrameDecoder(limits, budget), handler);
        }
      }, promise);
    });
    return promise;
  }

  /** Opens a bidirectional stream with {@code handler} alone: bytes in, bytes out (tests). */
  Future<QuicStreamChannel> openBareStream(ChannelHandler handler) {
    return quic.createStream(QuicStreamType.BIDIRECTIONAL, handler);
  }

  private RpcException streamRefused(Throwable cause) {
    if (!quic.isActive()) {
      return new RpcException(ExceptionType.DISCONNECTED, RpcErrors.CONNECTION_LOST,
          "connection closed", cause);
    }
    return new RpcException(ExceptionType.OVERLOADED, RpcErrors.TOO_MANY_STREAMS,
        "cannot open a stream: " + cause, cause);
  }

  @Override
  public CertificateFingerprint serverFingerprint() {
    return serverFingerprint;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    boolean onLoop = quic.eventLoop().inEventLoop();
    var f = quic.close();
    if (!onLoop) {
      f.awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    }
    var u = udp.close();
    if (!onLoop) {
      u.awaitUninterruptibly(QuicSettings.SHUTDOWN_WAIT_MILLIS);
    }
    QuicSettings.shutdown(group);
  }
}
