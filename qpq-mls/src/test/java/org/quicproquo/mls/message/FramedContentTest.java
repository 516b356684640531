package org.quicproquo.mls.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.junit.jupiter.api.Test;

class FramedContentTest {
  private static FramedContent commit() {
    return new FramedContent(new byte[] {1, 2, 3}, 7, new Sender.External(2), new byte[] {9},
        new Commit(List.of(new ProposalOrRef.ByReference(new ProposalRef(new byte[32]))), null));
  }

  @Test
  void cachedEncodingIsTheFieldEncodingAndDecodesBack() throws Exception {
    FramedContent fc = commit();
    byte[] first = fc.toBytes();
    TlsWriter w = new TlsWriter();
    w.u8(0xAA);
    fc.encode(w);
    byte[] framed = w.toByteArray();

    assertThat(framed[0]).isEqualTo((byte) 0xAA);
    assertThat(java.util.Arrays.copyOfRange(framed, 1, framed.length)).isEqualTo(first);
    assertThat(FramedContent.decode(new TlsReader(first))).isEqualTo(fc);
    assertThat(commit().toBytes()).isEqualTo(first);
  }

  @Test
  void toBytesReturnsIndependentCopies() {
    FramedContent fc = commit();
    byte[] a = fc.toBytes();
    a[0] ^= 1;
    assertThat(fc.toBytes()).isNotEqualTo(a).isEqualTo(commit().toBytes());
  }
}
