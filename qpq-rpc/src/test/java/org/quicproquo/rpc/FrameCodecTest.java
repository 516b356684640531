package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.Text;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final RpcLimits LIMITS = RpcLimits.defaults().withMaxMessageBytes(4096)
      .withMaxSegments(4);

  private static MessageBuilder text(String s, int firstSegmentWords) {
    MessageBuilder mb = new MessageBuilder(firstSegmentWords,
        org.capnproto.BuilderArena.AllocationStrategy.FIXED_SIZE);
    mb.initRoot(AnyPointer.factory).setAs(Text.factory, new Text.Reader(s));
    return mb;
  }

  @Test
  void roundTripsSingleAndMultiSegmentMessages() {
    for (int words : new int[] {1024, 2}) {
      MessageBuilder mb = text("hello frames", words);
      int segments = mb.getSegmentsForOutput().length;
      ByteBuf buf = FrameCodec.encode(mb, 4096, ByteBufAllocator.DEFAULT);
      try {
        assertThat(buf.getIntLE(0)).isEqualTo(segments - 1);
        MessageReader r = FrameCodec.tryDecode(buf, LIMITS);
        assertThat(r.getRoot(AnyPointer.factory).getAs(Text.factory).toString())
            .isEqualTo("hello frames");
        assertThat(buf.isReadable()).isFalse();
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void waitsForTheWholeFrameWithoutConsuming() {
    ByteBuf full = FrameCodec.encode(text("partial", 1024), 4096, ByteBufAllocator.DEFAULT);
    try {
      for (int n = 0; n < full.readableBytes(); n++) {
        ByteBuf part = full.retainedSlice(0, n);
        try {
          assertThat(FrameCodec.tryDecode(part, LIMITS)).isNull();
          assertThat(part.readerIndex()).isZero();
        } finally {
          part.release();
        }
      }
    } finally {
      full.release();
    }
  }

  @Test
  void rejectsAbsurdSegmentCountFromTheFirstFourBytes() {
    ByteBuf buf = Unpooled.buffer().writeIntLE(-1);
    assertThatThrownBy(() -> FrameCodec.tryDecode(buf, LIMITS))
        .isInstanceOf(FrameException.class).hasMessageContaining("segment count 4294967296");
  }

  @Test
  void rejectsOversizedMessageFromTheSegmentTableAlone() {
    // One segment of 2^32-1 words: refused before a single body byte arrives.
    ByteBuf buf = Unpooled.buffer().writeIntLE(0).writeIntLE(-1);
    assertThatThrownBy(() -> FrameCodec.tryDecode(buf, LIMITS))
        .isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
    // Many medium segments that add up past the limit.
    ByteBuf sum = Unpooled.buffer().writeIntLE(3);
    for (int i = 0; i < 4; i++) {
      sum.writeIntLE(200);
    }
    sum.writeIntLE(0); // padding of the segment table to a whole word
    assertThatThrownBy(() -> FrameCodec.tryDecode(sum, LIMITS))
        .isInstanceOf(FrameException.class);
  }

  @Test
  void encoderRefusesMessagesOverTheLimit() {
    assertThatThrownBy(() -> FrameCodec.encode(text("x".repeat(5000), 1024), 4096,
        ByteBufAllocator.DEFAULT))
        .isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
  }

  @Test
  void headerSizeIsPaddedToWords() {
    assertThat(FrameCodec.headerBytes(1)).isEqualTo(8);
    assertThat(FrameCodec.headerBytes(2)).isEqualTo(16);
    assertThat(FrameCodec.headerBytes(3)).isEqualTo(16);
  }
}
