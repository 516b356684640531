package org.quicproquo.rpc;

import org.quicproquo.proto.rpc.RpcProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderException;
import org.capnproto.DecodeException;
import org.capnproto.MessageBuilder;

/** Message construction and writing shared by both ends of an RPC stream. */
final class Wire {
  private Wire() {
  }

  /**
   * First-segment size of every message this layer builds, in words. The runtime's default is
   * 1024 words (8 KiB, zeroed) per message; an RPC control message or small call needs well under
   * 64, and allocating 8 KiB three times per call was the largest single CPU cost in profiles.
   * Bigger messages simply grow further segments.
   */
  static final int FIRST_SEGMENT_WORDS = 64;

  /** An empty message builder sized for RPC traffic. */
  static MessageBuilder newBuilder() {
    return new MessageBuilder(FIRST_SEGMENT_WORDS);
  }

  /** A message whose root is an RPC {@code Message}. */
  static RpcProtocol.Message.Builder newMessage(MessageBuilder mb) {
    return mb.initRoot(RpcProtocol.Message.factory);
  }

  /** Frames and writes a message; the caller flushes. */
  static ChannelFuture write(Channel ch, MessageBuilder mb, RpcLimits limits) {
    WireOptions options = WireOptions.of(ch);
    ByteBuf frame = FrameCodec.encode(mb, limits.maxMessageBytes(), options.pad(), ch.alloc());
    options.listener().onFrame(true, frame.readableBytes());
    return ch.write(frame);
  }

  /** Fills an {@code Exception} struct from an {@link RpcException}. */
  static void fill(RpcProtocol.Exception.Builder b, RpcException e) {
    b.setType(RpcProtocol.Exception.Type.values()[e.type().code()]);
    b.setReason(ReasonCodec.encode(e));
  }

  /** Reads an {@code Exception} struct; unknown type codes count as {@code failed}. */
  static RpcException read(RpcProtocol.Exception.Reader r) {
    RpcProtocol.Exception.Type t = r.getType();
    ExceptionType type = t == RpcProtocol.Exception.Type._NOT_IN_SCHEMA
        ? ExceptionType.FAILED : ExceptionType.fromCode(t.ordinal());
    return ReasonCodec.decode(type, r.hasReason() ? r.getReason().toString() : "");
  }

  /** Sends {@code Abort(e)} and closes the stream once it is written. */
  static void abort(Channel ch, RpcException e, RpcLimits limits) {
    if (!ch.isActive()) {
      return;
    }
    MessageBuilder mb = newBuilder();
    fill(newMessage(mb).initAbort(), e);
    write(ch, mb, limits).addListener(ChannelFutureListener.CLOSE);
    ch.flush();
  }

  /**
   * Maps anything thrown while reading a received message to the error we report: our own typed
   * errors pass through; Cap'n Proto decode errors, out-of-bounds reads and the like (malformed
   * pointers, limits hit) become {@link RpcErrors#MALFORMED_MESSAGE}.
   */
  static RpcException receiveError(Throwable t) {
    Throwable c = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof RpcException r) {
      return r;
    }
    String what = c instanceof DecodeException ? c.getMessage() : c.getClass().getSimpleName();
    return new RpcException(ExceptionType.FAILED, RpcErrors.MALFORMED_MESSAGE,
        "malformed message: " + what, c);
  }
}
