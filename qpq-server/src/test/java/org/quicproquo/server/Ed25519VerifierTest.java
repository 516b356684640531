package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Ed25519VerifierTest {
  @Test
  void ed25519VerifierRejectsWrongLengthsAndBadPoints() {
    assertThat(Ed25519Verifier.verify(new byte[31], new byte[0], new byte[64])).isFalse();
    assertThat(Ed25519Verifier.verify(new byte[32], new byte[0], new byte[63])).isFalse();
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xff);
    assertThat(Ed25519Verifier.verify(notAPoint, new byte[] {1}, new byte[64])).isFalse();
  }
}
