package org.quicproquo.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The signed bytes are exactly what docs/wire.md says. */
class AuthTranscriptsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void deviceCertificateLayout() {
    byte[] key = new byte[32];
    key[0] = 7;
    byte[] got = AuthTranscripts.deviceCertificate("bob", key);
    assertThat(HEX.formatHex(got)).isEqualTo(
        HEX.formatHex("qpq device certificate v1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            + "0003" + "626f62" + "0020" + "07" + "00".repeat(31));
    assertThat(got).hasSize(26 + 2 + 3 + 2 + 32);
  }

  @Test
  void loginLayout() {
    byte[] nonce = new byte[32];
    byte[] fp = new byte[32];
    nonce[31] = 1;
    fp[0] = 2;
    byte[] got = AuthTranscripts.login(nonce, fp, 0x0102030405060708L);
    assertThat(got).hasSize(13 + 32 + 32 + 8);
    assertThat(HEX.formatHex(got)).isEqualTo(HEX.formatHex("qpq login v1\0".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII)) + "00".repeat(31) + "01" + "02"
        + "00".repeat(31) + "0102030405060708");
  }
}
