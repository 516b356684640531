package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;

/**
 * The standard Cap'n Proto stream framing:
 *
 * <pre>
 * +----------------+--------------------+---------+-----------+-----------+
 * | u32 count - 1  | u32 size[0..count) | pad (0) | segment 0 | segment 1 | ...
 * +----------------+--------------------+---------+-----------+-----------+
 *   little-endian; sizes in 8-byte words; the table is padded to a multiple of 8 bytes
 * </pre>
 *
 * Decoding checks the segment count and the total size against {@link RpcLimits} before a single
 * segment byte is buffered or allocated. Frames may be padded ({@link FramePadding}); a padding
 * segment is checked and dropped before the message is read.
 */
final class FrameCodec {
  private FrameCodec() {
  }

  /** Bytes of the segment table of a message with {@code segmentCount} segments. */
  static long headerBytes(long segmentCount) {
    return 4L * ((segmentCount + 2) & ~1L);
  }

  /**
   * Encodes a message into a new buffer (the caller owns it).
   *
   * @throws FrameException if the framed message would exceed {@code maxMessageBytes}
   */
  static ByteBuf encode(MessageBuilder message, int maxMessageBytes, ByteBufAllocator alloc) {
    return encode(message, maxMessageBytes, false, alloc);
  }

  /**
   * Encodes a message into a new buffer (the caller owns it), padded to a bucket when {@code pad}
   * ({@link FramePadding}).
   *
   * @throws FrameException if the framed (and padded) message would exceed
   *     {@code maxMessageBytes}
   */
  static ByteBuf encode(MessageBuilder message, int maxMessageBytes, boolean pad,
      ByteBufAllocator alloc) {
    ByteBuffer[] segments = message.getSegmentsForOutput();
    int count = segments.length + (pad ? 1 : 0);
    long body = 0;
    for (ByteBuffer s : segments) {
      body += s.remaining();
    }
    long total = headerBytes(count) + body;
    long padWords = 0;
    if (pad) {
      long u = total + 8;
      long b = FramePadding.bucket(u, maxMessageBytes);
      if (u > b) {
        throw new FrameException(RpcErrors.MESSAGE_TOO_LARGE, "padded message of at least " + u
            + " bytes exceeds the limit of " + maxMessageBytes);
      }
      padWords = (b - total) / 8;
      total = b;
    }
    if (total > maxMessageBytes) {
      throw new FrameException(RpcErrors.MESSAGE_TOO_LARGE,
          "message of " + total + " bytes exceeds the limit of " + maxMessageBytes);
    }
    ByteBuf out = alloc.buffer((int) total);
    try {
      out.writeIntLE(count - 1);
      for (ByteBuffer s : segments) {
        out.writeIntLE(s.remaining() / 8);
      }
      if (pad) {
        out.writeIntLE((int) padWords);
      }
      if (count % 2 == 0) {
        out.writeIntLE(0);
      }
      for (ByteBuffer s : segments) {
        out.writeBytes(s.duplicate());
      }
      if (pad) {
        out.writeLongLE(FramePadding.MAGIC);
        out.writeZero((int) (8 * (padWords - 1)));
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /**
   * The size of the frame that starts at the reader index of {@code in} (segment table included),
   * or -1 while its segment table is incomplete. Consumes nothing.
   *
   * @throws FrameException if the segment table violates the limits
   */
  static long frameBytes(ByteBuf in, RpcLimits limits) {
    int readable = in.readableBytes();
    if (readable < 4) {
      return -1;
    }
    int start = in.readerIndex();
    long count = in.getUnsignedIntLE(start) + 1;
    if (count > limits.maxSegments()) {
      throw new FrameException(RpcErrors.MESSAGE_TOO_LARGE,
          "segment count " + count + " exceeds the limit of " + limits.maxSegments());
    }
    long header = headerBytes(count);
    if (readable < header) {
      return -1;
    }
    long total = header;
    for (int i = 0; i < count; i++) {
      total += 8 * in.getUnsignedIntLE(start + 4 + 4 * i);
      if (total > limits.maxMessageBytes()) {
        throw new FrameException(RpcErrors.MESSAGE_TOO_LARGE,
            "message exceeds the limit of " + limits.maxMessageBytes() + " bytes");
      }
    }
    return total;
  }

  /**
   * Tries to decode one frame from the readable bytes of {@code in}. Returns {@code null} (and
   * consumes nothing) if the frame is not complete yet; on success consumes exactly the frame.
   *
   * @throws FrameException if the segment table violates the limits
   */
  static MessageReader tryDecode(ByteBuf in, RpcLimits limits) {
    long total = frameBytes(in, limits);
    return total < 0 || in.readableBytes() < total ? null : decode(in, total, limits);
  }

  /**
   * Decodes the complete frame of {@code total} bytes ({@link #frameBytes}) at the reader index
   * of {@code in} and consumes it.
   *
   * @throws FrameException if its padding segment is malformed
   */
  static MessageReader decode(ByteBuf in, long total, RpcLimits limits) {
    int start = in.readerIndex();
    int count = (int) (in.getUnsignedIntLE(start) + 1);
    long header = headerBytes(count);
    int[] words = new int[count];
    for (int i = 0; i < count; i++) {
      words[i] = (int) in.getUnsignedIntLE(start + 4 + 4 * i);
    }
    int offset = start + (int) header;
    int kept = count;
    if (count >= 2 && words[kept - 1] >= 1) {
      int padOffset = (int) (start + total - 8L * words[kept - 1]);
      if (in.getLongLE(padOffset) == FramePadding.MAGIC) {
        FramePadding.check(in, padOffset, words[kept - 1], total);
        kept--; // nothing in the message may point into the padding: the reader never sees it
      }
    }
    ByteBuffer[] segments = new ByteBuffer[kept];
    for (int i = 0; i < kept; i++) {
      ByteBuffer seg = ByteBuffer.allocate(8 * words[i]).order(ByteOrder.LITTLE_ENDIAN);
      in.getBytes(offset, seg);
      seg.flip();
      segments[i] = seg;
      offset += 8 * words[i];
    }
    in.skipBytes((int) total);
    return new MessageReader(segments,
        new ReaderOptions(limits.traversalLimitWords(), limits.nestingLimit()));
  }
}
