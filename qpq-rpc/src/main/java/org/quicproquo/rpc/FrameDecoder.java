package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.capnproto.MessageReader;

/**
 * Splits a stream into Cap'n Proto messages ({@link MessageReader}s with the configured traversal
 * and nesting limits). After the first framing error it discards everything: a stream cannot be
 * resynchronised, and the handler behind it aborts and closes the stream.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /**
   * A frame at least this large gets its whole size reserved in the cumulation buffer as soon as
   * its segment table is in. Without it a 1 MiB blob chunk, arriving in ~1.2 KB QUIC packets, made
   * the buffer double a dozen times, copying about another 1 MiB and allocating every
   * intermediate size on the receiving I/O thread.
   */
  static final int RESERVE_MIN_BYTES = 64 << 10;

  private final RpcLimits limits;
  private final BufferBudget budget;
  private long held;
  private boolean failed;

  FrameDecoder(RpcLimits limits, BufferBudget budget) {
    this.limits = limits;
    this.budget = budget;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      FrameListener listener = WireOptions.of(ctx.channel()).listener();
      long frame;
      while ((frame = FrameCodec.frameBytes(in, limits)) >= 0 && in.readableBytes() >= frame) {
        out.add(FrameCodec.decode(in, frame, limits));
        listener.onFrame(false, (int) frame);
      }
      hold(reserve(in, frame));
    } catch (FrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      hold(0);
      throw e;
    }
  }

  /**
   * Grows {@code in} (the cumulation) once to hold the rest of a large frame, and returns this
   * stream's share of the budget: the whole frame while it is reserved, else the bytes held. The
   * reservation counts against the connection's budget, so a peer that announces large frames
   * and sends nothing more cannot make the connection hold more than the budget; without room it
   * grows as bytes arrive, as before. Only a buffer this decoder may grow is reserved in: not
   * read-only, not shared, and with room under its maximum capacity (a slice has none; the
   * cumulator copies it on the next read anyway).
   */
  private long reserve(ByteBuf in, long frameBytes) {
    long have = in.readableBytes();
    long missing = frameBytes - have;
    if (frameBytes < RESERVE_MIN_BYTES || missing <= 0 || !budget.fits(frameBytes - held)
        || in.isReadOnly() || in.refCnt() != 1 || missing > in.maxWritableBytes()) {
      return have;
    }
    in.discardReadBytes(); // earlier frames' bytes: moves only this frame's first bytes
    in.ensureWritable((int) missing);
    return frameBytes;
  }

  /** Accounts this stream's partial frame against the connection's budget. */
  private void hold(long bytes) {
    budget.adjust(bytes - held);
    held = bytes;
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    hold(0);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (!failed && in.isReadable()) {
      failed = true;
      int left = in.readableBytes();
      in.skipBytes(left);
      hold(0);
      throw new FrameException(RpcErrors.MALFORMED_MESSAGE,
          "stream ended inside a frame (" + left + " bytes left over)");
    }
  }
}
