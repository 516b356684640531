package org.quicproquo.mls.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;

class PreSharedKeyIdTest {
  @Test
  void resumptionRoundTrip() throws DecodeException {
    PreSharedKeyId id = new PreSharedKeyId.Resumption(ResumptionPskUsage.BRANCH, new byte[] {9, 8},
        -1L, new byte[] {1, 1, 1});
    byte[] bytes = id.toBytes();
    assertThat(bytes).startsWith(2, 3, 2, 9, 8);
    PreSharedKeyId back = TlsReader.decodeAll(bytes, PreSharedKeyId::decode);
    assertThat(back).isEqualTo(id);
    assertThat(((PreSharedKeyId.Resumption) back).pskEpoch()).isEqualTo(-1L); // uint64 max
  }

  @Test
  void externalRoundTrip() throws DecodeException {
    PreSharedKeyId id = new PreSharedKeyId.External(new byte[] {5}, new byte[] {6, 7});
    assertThat(id.toBytes()).containsExactly(1, 1, 5, 2, 6, 7);
    assertThat(TlsReader.decodeAll(id.toBytes(), PreSharedKeyId::decode)).isEqualTo(id);
  }

  @Test
  void rejectsReservedAndUnknownCodes() {
    for (int type : new int[] {0, 3, 255}) {
      byte[] b = new TlsWriter().u8(type).opaque(new byte[1]).opaque(new byte[1]).toByteArray();
      assertThatThrownBy(() -> TlsReader.decodeAll(b, PreSharedKeyId::decode))
          .isInstanceOf(DecodeException.class);
    }
    for (int usage : new int[] {0, 4}) {
      byte[] b = new TlsWriter().u8(2).u8(usage).opaque(new byte[1]).u64(1).opaque(new byte[1])
          .toByteArray();
      assertThatThrownBy(() -> TlsReader.decodeAll(b, PreSharedKeyId::decode))
          .isInstanceOf(DecodeException.class);
    }
    byte[] truncated = {1, 5, 0};
    assertThatThrownBy(() -> TlsReader.decodeAll(truncated, PreSharedKeyId::decode))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void pskSecretDependsOnOrderAndIsZeroWhenEmpty() {
    CipherSuite cs = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        new SecureRandom());
    assertThat(PskSecret.compute(cs, List.of())).isEqualTo(new byte[32]);
    PskSecret.ResolvedPsk a = new PskSecret.ResolvedPsk(
        new PreSharedKeyId.External(new byte[] {1}, new byte[32]), new byte[] {10});
    PskSecret.ResolvedPsk b = new PskSecret.ResolvedPsk(
        new PreSharedKeyId.Resumption(ResumptionPskUsage.APPLICATION, new byte[] {2}, 4, new byte[32]),
        new byte[32]);
    assertThat(PskSecret.compute(cs, List.of(a, b))).isNotEqualTo(PskSecret.compute(cs, List.of(b, a)));
  }
}
