package org.quicproquo.proto.allkinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.capnproto.DecodeException;
import org.capnproto.MessageBuilder;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.junit.jupiter.api.Test;
import org.quicproquo.proto.CapnpTool;

/**
 * Generated readers have no loops of their own: the runtime's traversal and nesting limits from
 * {@link ReaderOptions} bound every read of untrusted bytes.
 */
class ReaderLimitsTest {
  @Test
  void traversalLimitStopsRepeatedReadsOfALargeList() throws Exception {
    MessageBuilder message = new MessageBuilder();
    message.initRoot(AllKinds.Root.factory).initInt64List(1000);
    byte[] bytes = CapnpTool.write(message, false);
    AllKinds.Root.Reader root = Serialize.read(ByteBuffer.wrap(bytes), new ReaderOptions(2500, 64))
        .getRoot(AllKinds.Root.factory);

    assertThat(root.getInt64List().size()).isEqualTo(1000);
    assertThat(root.getInt64List().size()).isEqualTo(1000);
    assertThatThrownBy(root::getInt64List).isInstanceOf(DecodeException.class);
  }

  @Test
  void nestingLimitStopsDeepStructs() throws Exception {
    MessageBuilder message = new MessageBuilder();
    AllKinds.Nested.Builder nested = message.initRoot(AllKinds.Root.factory).initNested();
    for (int depth = 0; depth < 10; depth++) {
      nested = nested.initChild();
    }
    byte[] bytes = CapnpTool.write(message, false);
    AllKinds.Root.Reader root = Serialize.read(ByteBuffer.wrap(bytes), new ReaderOptions(1 << 20, 4))
        .getRoot(AllKinds.Root.factory);

    assertThatThrownBy(() -> {
      AllKinds.Nested.Reader reader = root.getNested();
      while (reader.hasChild()) {
        reader = reader.getChild();
      }
    }).isInstanceOf(DecodeException.class);
  }

  @Test
  void structsClaimingOver32767PointersAreRejected() throws Exception {
    int words = 1 + 0x8000;
    ByteBuffer bytes = ByteBuffer.allocate(8 + 8 * words).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes.putInt(0).putInt(words);
    bytes.putInt(0).putInt(0x8000 << 16); // root: struct pointer, offset 0, no data, 32768 pointers
    bytes.rewind();
    org.capnproto.MessageReader reader = Serialize.read(bytes, ReaderOptions.DEFAULT_READER_OPTIONS);

    assertThatThrownBy(() -> reader.getRoot(AllKinds.Inner.factory))
        .isInstanceOf(DecodeException.class).hasMessageContaining("32767");
  }
}
