package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.Text;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static final RpcLimits LIMITS = RpcLimits.defaults().withMaxMessageBytes(1024)
      .withMaxBufferedBytes(1500);

  private static ByteBuf frame(String text) {
    MessageBuilder mb = new MessageBuilder();
    mb.initRoot(AnyPointer.factory).setAs(Text.factory, new Text.Reader(text));
    return FrameCodec.encode(mb, 1024, io.netty.buffer.ByteBufAllocator.DEFAULT);
  }

  @Test
  void splitsByteChunksIntoMessagesAndAccountsPartialFrames() {
    BufferBudget budget = new BufferBudget(LIMITS.maxBufferedBytes());
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS, budget));
    ByteBuf two = Unpooled.wrappedBuffer(frame("one"), frame("two"));
    int half = two.readableBytes() / 2 + 3;
    ch.writeInbound(two.readRetainedSlice(half));
    assertThat(budget.used()).isPositive();
    ch.writeInbound(two);
    MessageReader first = ch.readInbound();
    MessageReader second = ch.readInbound();
    assertThat(first.getRoot(AnyPointer.factory).getAs(Text.factory).toString()).isEqualTo("one");
    assertThat(second.getRoot(AnyPointer.factory).getAs(Text.factory).toString()).isEqualTo("two");
    assertThat(budget.used()).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void streamsShareTheConnectionBudgetAndReleaseItOnClose() {
    BufferBudget budget = new BufferBudget(LIMITS.maxBufferedBytes());
    EmbeddedChannel a = new EmbeddedChannel(new FrameDecoder(LIMITS, budget));
    EmbeddedChannel b = new EmbeddedChannel(new FrameDecoder(LIMITS, budget));
    ByteBuf header = Unpooled.buffer().writeIntLE(0).writeIntLE(1000 / 8);
    a.writeInbound(header.retainedDuplicate(), Unpooled.wrappedBuffer(new byte[800]));
    assertThat(budget.used()).isEqualTo(808);
    assertThatThrownBy(() -> b.writeInbound(header.retainedDuplicate(),
        Unpooled.wrappedBuffer(new byte[800])))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(FrameException.class)
        .cause().hasMessageContaining(RpcErrors.TOO_MUCH_BUFFERED);
    assertThat(budget.used()).isEqualTo(808);
    // Stream a ends inside its frame: it is malformed, and its share goes back.
    assertThatThrownBy(a::finishAndReleaseAll).isInstanceOf(DecoderException.class);
    assertThat(budget.used()).isZero();
    header.release();
    b.finishAndReleaseAll();
  }

  @Test
  void streamEndingInsideAFrameIsMalformed() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(LIMITS,
        new BufferBudget(LIMITS.maxBufferedBytes())));
    ByteBuf f = frame("cut");
    ch.writeInbound(f.readRetainedSlice(f.readableBytes() - 1));
    f.release();
    assertThatThrownBy(ch::finish)
        .isInstanceOf(DecoderException.class)
        .cause().hasMessageContaining(RpcErrors.MALFORMED_MESSAGE);
  }

  @Test
  void largeFrameInPacketSizedPiecesGrowsItsBufferOnceAndDecodesIntact() {
    RpcLimits limits = RpcLimits.defaults();
    BufferBudget budget = new BufferBudget(limits.maxBufferedBytes());
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(limits, budget));
    byte[] payload = new byte[1 << 20];
    new java.util.Random(7).nextBytes(payload);
    MessageBuilder mb = new MessageBuilder();
    mb.initRoot(AnyPointer.factory).setAs(org.capnproto.Data.factory, new org.capnproto.Data.Reader(payload));
    ByteBuf frame = FrameCodec.encode(mb, limits.maxMessageBytes(),
        io.netty.buffer.ByteBufAllocator.DEFAULT);
    // two frames back to back, cut like QUIC stream reads: the second starts mid-packet
    ByteBuf both = Unpooled.wrappedBuffer(frame.retainedDuplicate(), frame);
    java.util.Set<Integer> capacities = new java.util.HashSet<>();
    java.util.List<MessageReader> got = new java.util.ArrayList<>();
    while (both.isReadable()) {
      ByteBuf piece = io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(1200);
      piece.writeBytes(both, Math.min(1200, both.readableBytes()));
      ch.writeInbound(piece);
      for (MessageReader m; (m = ch.readInbound()) != null; ) {
        got.add(m);
      }
      if (budget.used() > FrameDecoder.RESERVE_MIN_BYTES) {
        capacities.add(cumulationCapacity(ch));
        // the reservation is accounted in full, not only the bytes received so far
        assertThat(budget.used()).isGreaterThanOrEqualTo(payload.length);
      }
    }
    both.release();
    assertThat(got).hasSize(2);
    for (MessageReader m : got) {
      assertThat(m.getRoot(AnyPointer.factory).getAs(org.capnproto.Data.factory).toArray())
          .isEqualTo(payload);
    }
    // once a frame's table is in, its buffer has its final size: one capacity per frame
    assertThat(capacities).hasSizeLessThanOrEqualTo(2);
    assertThat(budget.used()).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void announcedLargeFramesReserveNoMoreThanTheConnectionBudget() {
    RpcLimits limits = RpcLimits.defaults();
    BufferBudget budget = new BufferBudget(1 << 20);
    EmbeddedChannel a = new EmbeddedChannel(new FrameDecoder(limits, budget));
    EmbeddedChannel b = new EmbeddedChannel(new FrameDecoder(limits, budget));
    long words = (900 << 10) / 8; // one segment of 900 KiB: only the table is sent
    a.writeInbound(io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(8).writeIntLE(0)
        .writeIntLE((int) words));
    assertThat(budget.used()).isEqualTo(8 + 8 * words);
    assertThat(cumulationCapacity(a)).isGreaterThanOrEqualTo((int) (8 + 8 * words));
    // a second such frame on the same connection does not fit: no reservation, no error
    b.writeInbound(io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(8).writeIntLE(0)
        .writeIntLE((int) words));
    assertThat(budget.used()).isEqualTo(8 + 8 * words + 8);
    assertThat(cumulationCapacity(b)).isLessThan(FrameDecoder.RESERVE_MIN_BYTES);
    assertThatThrownBy(a::finishAndReleaseAll).isInstanceOf(DecoderException.class);
    assertThatThrownBy(b::finishAndReleaseAll).isInstanceOf(DecoderException.class);
    assertThat(budget.used()).isZero();
  }

  private static int cumulationCapacity(EmbeddedChannel ch) {
    try {
      java.lang.reflect.Field f = io.netty.handler.codec.ByteToMessageDecoder.class
          .getDeclaredField("cumulation");
      f.setAccessible(true);
      return ((ByteBuf) f.get(ch.pipeline().first())).capacity();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
