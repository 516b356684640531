package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.quicproquo.proto.rpc.RpcProtocol;

/**
 * A test peer that writes arbitrary bytes on a fresh QUIC stream and collects the framed
 * messages the server sends back.
 */
final class RawStream {
  private final QuicStreamChannel channel;
  private final LinkedBlockingQueue<MessageReader> received;
  private final CompletableFuture<Void> closed;

  private RawStream(QuicStreamChannel channel, LinkedBlockingQueue<MessageReader> received,
      CompletableFuture<Void> closed) {
    this.channel = channel;
    this.received = received;
    this.closed = closed;
  }

  static RawStream open(RpcClient client) throws Exception {
    LinkedBlockingQueue<MessageReader> received = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ChannelInboundHandlerAdapter collector = new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add((MessageReader) msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        closed.complete(null);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // The server ended its direction of the stream (FIN): for this peer, the stream is over.
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
          closed.complete(null);
        }
        ctx.fireUserEventTriggered(evt);
      }
    };
    QuicStreamChannel ch = ((RpcClientImpl) client).openRawStream(collector)
        .get(20, TimeUnit.SECONDS);
    return new RawStream(ch, received, closed);
  }

  void sendBytes(byte[] bytes) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
  }

  void send(MessageBuilder mb) {
    ByteBuf frame = FrameCodec.encode(mb, Integer.MAX_VALUE, channel.alloc());
    channel.writeAndFlush(frame).syncUninterruptibly();
  }

  void finishOutput() {
    channel.shutdownOutput().syncUninterruptibly();
  }

  /** The next message from the server, or null if none arrives in time or the stream closed. */
  RpcProtocol.Message.Reader next() throws InterruptedException {
    return next(20_000);
  }

  /** As {@link #next()}, waiting at most {@code millis}. */
  RpcProtocol.Message.Reader next(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      MessageReader r = received.poll(50, TimeUnit.MILLISECONDS);
      if (r != null) {
        return r.getRoot(RpcProtocol.Message.factory);
      }
      if (closed.isDone() && received.isEmpty()) {
        return null;
      }
    }
    return null;
  }

  boolean awaitClosed() {
    try {
      closed.get(20, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  void close() {
    channel.close();
  }
}
