package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.capnproto.MessageBuilder;

/**
 * Per-QUIC-connection state on the server: the bootstrap capability, the count of calls in
 * flight and the push stream. Mutable fields are touched only on the connection's event loop.
 */
final class ServerConnectionImpl implements ServerConnection {
  private final long id;
  private final QuicChannel channel;
  private final RpcLimits limits;
  private final BootstrapFactory bootstrapFactory;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final BufferBudget budget;
  private Capability bootstrap;
  private int callsInFlight;
  private int openQuestions;
  private io.netty.util.concurrent.Future<QuicStreamChannel> pushStream;
  /**
   * The newest event dropped while the push stream was full, written once the stream drains:
   * events are hints that something waits to be fetched, so the newest one tells a client that
   * stopped reading that it missed some (without it, a client that missed the last hint of a
   * burst heard nothing until its next poll). One frame at most, so memory stays bounded.
   */
  private ByteBuf droppedPush;

  ServerConnectionImpl(long id, QuicChannel channel, RpcLimits limits,
      BootstrapFactory bootstrapFactory) {
    this.id = id;
    this.channel = channel;
    this.limits = limits;
    this.bootstrapFactory = bootstrapFactory;
    this.budget = new BufferBudget(limits.maxBufferedBytes());
    // (Netty tells close listeners on the channel's event loop, where droppedPush lives.)
    channel.closeFuture().addListener(f -> {
      closed.complete(null);
      forgetDroppedPush();
    });
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteSocketAddress();
  }

  QuicChannel channel() {
    return channel;
  }

  RpcLimits limits() {
    return limits;
  }

  /** The partial-frame budget shared by this connection's streams. */
  BufferBudget budget() {
    return budget;
  }

  /** The bootstrap capability, created on first use. Event loop only. */
  Capability bootstrap() {
    if (bootstrap == null) {
      bootstrap = bootstrapFactory.create(this);
      if (bootstrap == null) {
        throw new IllegalStateException("BootstrapFactory returned null");
      }
    }
    return bootstrap;
  }

  /** Reserves a call slot; false when the connection is at its limit. Event loop only. */
  boolean tryStartCall() {
    if (callsInFlight >= limits.maxCallsInFlight()) {
      return false;
    }
    callsInFlight++;
    return true;
  }

  /** Frees a call slot. Event loop only. */
  void endCall() {
    callsInFlight--;
  }

  /**
   * Counts a question a peer asked, on any stream, until both its Return and its Finish have
   * happened; false when the connection already holds {@link #maxOpenQuestions()}. Without the
   * bound a peer that never sends Finish would make the server remember every call it ever
   * answered. Event loop only.
   */
  boolean tryOpenQuestion() {
    if (openQuestions >= maxOpenQuestions()) {
      return false;
    }
    openQuestions++;
    return true;
  }

  /** Forgets {@code count} questions (answered and finished, or their stream is gone). */
  void closeQuestions(int count) {
    openQuestions -= count;
  }

  /**
   * Four times the calls allowed in flight: our client finishes each question as soon as its
   * Return is read, so only a peer that withholds Finish comes near it.
   */
  int maxOpenQuestions() {
    return 4 * limits.maxCallsInFlight();
  }

  @Override
  public CompletableFuture<Void> push(MessageBuilder event) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    ByteBuf frame;
    try {
      WireOptions options = WireOptions.of(channel);
      frame = FrameCodec.encode(event, limits.maxMessageBytes(), options.pad(), channel.alloc());
      options.listener().onFrame(true, frame.readableBytes());
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      channel.eventLoop().execute(() -> writePush(frame, result));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      frame.release();
      return CompletableFuture.failedFuture(disconnected("server is shutting down"));
    }
    return result;
  }

  private void writePush(ByteBuf frame, CompletableFuture<Void> result) {
    if (!channel.isActive()) {
      frame.release();
      result.completeExceptionally(disconnected("connection closed"));
      return;
    }
    if (pushStream == null) {
      // Nothing is read from the push stream; a handler that drops input keeps it tidy.
      pushStream = channel.createStream(QuicStreamType.UNIDIRECTIONAL,
          new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
              if (ctx.channel().isWritable() && droppedPush != null) {
                ByteBuf frame = droppedPush;
                droppedPush = null;
                ctx.writeAndFlush(frame);
              }
              ctx.fireChannelWritabilityChanged();
            }
          });
    }
    pushStream.addListener(f -> {
      if (!f.isSuccess()) {
        frame.release();
        result.completeExceptionally(new RpcException(ExceptionType.FAILED, RpcErrors.UNSUPPORTED,
            "client refused the push stream: " + f.cause()));
        return;
      }
      QuicStreamChannel s = pushStream.getNow();
      if (!s.isActive()) {
        frame.release();
        result.completeExceptionally(disconnected("push stream closed"));
      } else if (!s.isWritable()) {
        // The client is not reading: drop the hint rather than buffer without bound; the newest
        // one dropped goes once the stream drains.
        forgetDroppedPush();
        droppedPush = frame;
        result.completeExceptionally(new RpcException(ExceptionType.OVERLOADED,
            RpcErrors.PUSH_DROPPED, "push stream is full; event dropped"));
      } else {
        forgetDroppedPush(); // this newer event tells the client as much
        s.writeAndFlush(frame).addListener(w -> {
          if (w.isSuccess()) {
            result.complete(null);
          } else {
            result.completeExceptionally(disconnected("push failed: " + w.cause()));
          }
        });
      }
    });
  }

  private void forgetDroppedPush() {
    if (droppedPush != null) {
      droppedPush.release();
      droppedPush = null;
    }
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  @Override
  public void close() {
    channel.close();
  }

  private static RpcException disconnected(String detail) {
    return new RpcException(ExceptionType.DISCONNECTED, RpcErrors.CONNECTION_LOST, detail);
  }
}
