package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.Text;
import org.junit.jupiter.api.Test;

class FramePaddingTest {
  private static final int MAX = 1 << 20;
  private static final RpcLimits LIMITS = RpcLimits.defaults().withMaxMessageBytes(MAX);

  private static MessageBuilder text(String s, int firstSegmentWords) {
    MessageBuilder mb = new MessageBuilder(firstSegmentWords,
        org.capnproto.BuilderArena.AllocationStrategy.FIXED_SIZE);
    mb.initRoot(AnyPointer.factory).setAs(Text.factory, new Text.Reader(s));
    return mb;
  }

  private static String decodeText(ByteBuf buf) {
    MessageReader r = FrameCodec.tryDecode(buf, LIMITS);
    return r.getRoot(AnyPointer.factory).getAs(Text.factory).toString();
  }

  @Test
  void everyLengthPadsToTheSmallestBucketAndRoundTrips() {
    for (int len = 0; len <= 20_000; len += len < 600 ? 1 : 37) {
      for (int words : new int[] {4096, 3}) {
        String s = "a".repeat(len);
        MessageBuilder mb = text(s, words);
        ByteBuf plain = FrameCodec.encode(mb, MAX, false, ByteBufAllocator.DEFAULT);
        ByteBuf padded = FrameCodec.encode(mb, MAX, true, ByteBufAllocator.DEFAULT);
        try {
          int size = padded.readableBytes();
          // Below 64 KiB every bucket is a power of two.
          assertThat(Integer.bitCount(size)).as("size %d for length %d", size, len).isEqualTo(1);
          assertThat(size).isGreaterThanOrEqualTo(FramePadding.MIN_BUCKET)
              .isGreaterThan(plain.readableBytes());
          // The smallest bucket that holds the message, its extra segment-table entry and the
          // padding marker.
          assertThat(size / 2).isLessThan(Math.max(plain.readableBytes() + 16,
              FramePadding.MIN_BUCKET));
          assertThat(FramePadding.isBucket(size, MAX)).isTrue();
          assertThat(decodeText(padded)).isEqualTo(s);
          assertThat(padded.isReadable()).isFalse();
        } finally {
          plain.release();
          padded.release();
        }
      }
    }
  }

  @Test
  void aPowerOfTwoPayloadWithItsEnvelopeFitsTheEnvelopeBucket() {
    long max = RpcLimits.DEFAULT_MAX_MESSAGE_BYTES;
    assertThat(FramePadding.bucket((1 << 20) + 200, max)).isEqualTo((1 << 20) + 4096);
    assertThat(FramePadding.bucket((1 << 20) + 4097, max)).isEqualTo(2 << 20);
    assertThat(FramePadding.bucket(40_000, max)).isEqualTo(65536);
    assertThat(FramePadding.bucket(65537, max)).isEqualTo(65536 + 4096);
    assertThat(FramePadding.bucket((16 << 20) + 1, max)).isEqualTo(16 << 20);
    assertThat(FramePadding.isBucket((1 << 20) + 4096, max)).isTrue();
    assertThat(FramePadding.isBucket(32768 + 4096, max)).isFalse();
    assertThat(FramePadding.isBucket(1000, max)).isFalse();
    byte[] chunk = new byte[1 << 20];
    MessageBuilder mb = new MessageBuilder();
    mb.initRoot(AnyPointer.factory).setAs(org.capnproto.Data.factory,
        new org.capnproto.Data.Reader(chunk));
    ByteBuf padded = FrameCodec.encode(mb, (int) max, true, ByteBufAllocator.DEFAULT);
    try {
      assertThat(padded.readableBytes()).isEqualTo((1 << 20) + 4096);
      MessageReader r = FrameCodec.tryDecode(padded, RpcLimits.defaults());
      assertThat(r.getRoot(AnyPointer.factory).getAs(org.capnproto.Data.factory).size())
          .isEqualTo(1 << 20);
    } finally {
      padded.release();
    }
  }

  @Test
  void unpaddedFramesAreStillAccepted() {
    ByteBuf plain = FrameCodec.encode(text("old peer", 1024), MAX, false,
        ByteBufAllocator.DEFAULT);
    try {
      assertThat(decodeText(plain)).isEqualTo("old peer");
    } finally {
      plain.release();
    }
  }

  @Test
  void theLastBucketIsTheLimit() {
    int max = 3000;
    ByteBuf padded = FrameCodec.encode(text("b".repeat(2500), 1024), max, true,
        ByteBufAllocator.DEFAULT);
    try {
      assertThat(padded.readableBytes()).isEqualTo(3000 & ~7);
    } finally {
      padded.release();
    }
    assertThatThrownBy(() -> FrameCodec.encode(text("b".repeat(2990), 1024), max, true,
        ByteBufAllocator.DEFAULT)).isInstanceOf(FrameException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void nonZeroPaddingIsRejectedPad1() {
    ByteBuf padded = FrameCodec.encode(text("hi", 1024), MAX, true, ByteBufAllocator.DEFAULT);
    try {
      padded.setByte(padded.writerIndex() - 1, 1);
      assertThatThrownBy(() -> FrameCodec.tryDecode(padded, LIMITS))
          .isInstanceOf(FrameException.class).hasMessageContaining("PAD-1");
    } finally {
      padded.release();
    }
  }

  @Test
  void paddingBeyondTheBucketIsRejectedPad2() {
    // A frame of 512 bytes whose content would fit in 256: the padding segment is too large.
    ByteBuf padded = FrameCodec.encode(text("hi", 1024), MAX, true, ByteBufAllocator.DEFAULT);
    ByteBuf bigger = ByteBufAllocator.DEFAULT.buffer(512);
    try {
      assertThat(padded.readableBytes()).isEqualTo(256);
      int count = padded.getIntLE(0) + 1;
      int padWords = padded.getIntLE(4 + 4 * (count - 1));
      bigger.writeBytes(padded, 0, 256);
      bigger.setIntLE(4 + 4 * (count - 1), padWords + 32);
      bigger.writeZero(256);
      assertThatThrownBy(() -> FrameCodec.tryDecode(bigger, LIMITS))
          .isInstanceOf(FrameException.class).hasMessageContaining("PAD-2");
    } finally {
      padded.release();
      bigger.release();
    }
  }

  @Test
  void aPointerIntoThePaddingDoesNotResolve() {
    // The padding segment is dropped before reading: a far pointer into it fails to decode
    // instead of reading the padding as message content.
    ByteBuf padded = FrameCodec.encode(text("hi", 1024), MAX, true, ByteBufAllocator.DEFAULT);
    try {
      int count = padded.getIntLE(0) + 1;
      long header = FrameCodec.headerBytes(count);
      // Root pointer := far pointer (tag 2) to word 1 of segment count-1 (the padding).
      long far = 2L | (1L << 3) | ((long) (count - 1) << 32);
      padded.setLongLE((int) header, far);
      MessageReader r = FrameCodec.tryDecode(padded, LIMITS);
      assertThatThrownBy(() -> r.getRoot(AnyPointer.factory).getAs(Text.factory).toString())
          .isInstanceOf(RuntimeException.class);
    } finally {
      padded.release();
    }
  }
}
