package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;

/**
 * Traffic padding of framed messages (docs/wire.md section 3, "Padding"). A padded frame carries
 * one extra, last segment that no pointer of the message reaches: the 8-byte {@link #MAGIC} word
 * followed by zero words, sized so that the whole frame (segment table included) is a bucket:
 *
 * <pre>
 *   buckets   = 2^k for k >= 8 (256 B, 512 B, ...), and 2^k + 4 KiB for k >= 16
 *   bucket(u) = the smallest bucket >= u, capped at the sender's maxMessageBytes (rounded down
 *               to 8), where u = frame size with a padding segment of the magic word alone
 * </pre>
 *
 * so an observer of the QUIC stream learns only the bucket of each message, not its length. The
 * {@code 2^k + 4 KiB} buckets exist for bulk payloads of exactly {@code 2^k} bytes (file chunks of
 * 64 KiB and more): without them the few bytes of RPC envelope around such a payload would double
 * its size on the wire. A receiver accepts unpadded frames (padding
 * is the sender's choice) but checks every padded one: rule PAD-1, the padding after the magic
 * word is all zeros; rule PAD-2, the frame is no larger than the bucket of its unpadded size (no
 * padding beyond the bucket). A padded frame is still a plain Cap'n Proto stream message: other
 * readers ignore the unreferenced segment.
 */
final class FramePadding {
  /** First word of a padding segment: "qpq-pad1" as bytes, read as a little-endian u64. */
  static final long MAGIC = 0x3164_6170_2d71_7071L;

  /** The smallest bucket. */
  static final int MIN_BUCKET = 256;

  /** Room for the RPC envelope in the {@code 2^k + ENVELOPE} buckets. */
  static final int ENVELOPE = 4096;

  /** The smallest power of two that also has a {@code 2^k + ENVELOPE} bucket. */
  static final int ENVELOPE_FROM = 1 << 16;

  private FramePadding() {
  }

  /**
   * The bucket of a frame whose size with a minimal (magic-only) padding segment is {@code u}:
   * the smallest power of two at least {@code u} and {@link #MIN_BUCKET}, or {@code cap} when that
   * is larger than {@code cap}.
   */
  static long bucket(long u, long cap) {
    long top = cap & ~7L;
    for (long p = MIN_BUCKET; p < top; p <<= 1) {
      if (p >= u) {
        return p;
      }
      if (p >= ENVELOPE_FROM && p + ENVELOPE >= u) {
        return Math.min(p + ENVELOPE, top);
      }
    }
    return top;
  }

  /** Whether {@code size} is a bucket for a sender whose cap is {@code cap}. */
  static boolean isBucket(long size, long cap) {
    if (size > cap) {
      return false;
    }
    if (size == (cap & ~7L) || (size >= MIN_BUCKET && Long.bitCount(size) == 1)) {
      return true;
    }
    long p = size - ENVELOPE;
    return p >= ENVELOPE_FROM && Long.bitCount(p) == 1;
  }

  /**
   * Checks the padding segment of a received frame (PAD-1, PAD-2).
   *
   * @param in the buffer holding the frame
   * @param padOffset absolute index of the padding segment (its magic word)
   * @param padWords size of the padding segment in words (at least 1)
   * @param total size of the whole frame in bytes
   * @throws FrameException if the padding is malformed or exceeds the bucket
   */
  static void check(ByteBuf in, int padOffset, int padWords, long total) {
    int zeros = 8 * (padWords - 1);
    if (zeros > 0 && in.forEachByte(padOffset + 8, zeros, b -> b == 0) != -1) {
      throw new FrameException(RpcErrors.MALFORMED_MESSAGE,
          "malformed padding: non-zero bytes after the padding marker (PAD-1)");
    }
    long unpadded = total - zeros;
    if (total > bucket(unpadded, Long.MAX_VALUE)) {
      throw new FrameException(RpcErrors.MALFORMED_MESSAGE, "padding exceeds the bucket: "
          + total + " bytes for " + unpadded + " (PAD-2)");
    }
  }
}
