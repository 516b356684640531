package org.quicproquo.mls.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsReaderTest {
  @Test
  void vectorRefusesItemsThatConsumeNothing() {
    // A 3-byte vector whose item decoder reads no bytes would otherwise loop forever.
    byte[] data = {3, 1, 2, 3};
    assertThatThrownBy(() -> TlsReader.decodeAll(data, r -> r.vector(item -> "nothing")))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void vectorLengthIsCheckedBeforeAnythingIsRead() {
    // varint 0x3fff announces 16383 bytes; only two follow
    byte[] data = {0x7f, (byte) 0xff, 1, 2};
    assertThatThrownBy(() -> TlsReader.decodeAll(data, TlsReader::opaque))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> TlsReader.decodeAll(data, r -> r.vector(TlsReader::u8)))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void vectorOfOneByteItems() throws Exception {
    byte[] data = {3, 1, 2, 3};
    java.util.List<Integer> items = TlsReader.decodeAll(data, r -> r.vector(TlsReader::u8));
    assertThat(items).containsExactly(1, 2, 3);
  }
}
