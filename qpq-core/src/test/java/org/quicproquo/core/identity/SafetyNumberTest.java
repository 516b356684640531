package org.quicproquo.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
  private final SecureRandom random = new SecureRandom();
  private final UserName alice = new UserName("alice@example.org");
  private final UserName bob = new UserName("bob@example.org");
  private final IdentityKey aliceKey = IdentityKeyPair.generate(random).publicKey();
  private final IdentityKey bobKey = IdentityKeyPair.generate(random).publicKey();

  @Test
  void sameOnBothSides() {
    SafetyNumber a = SafetyNumber.of(alice, aliceKey, bob, bobKey);
    SafetyNumber b = SafetyNumber.of(bob, bobKey, alice, aliceKey);
    assertThat(a).isEqualTo(b);
    assertThat(a.digits()).hasSize(60).containsOnlyDigits();
    assertThat(a.displayString()).matches("(\\d{5} ){11}\\d{5}");
  }

  @Test
  void changesWithEitherKeyOrName() {
    SafetyNumber base = SafetyNumber.of(alice, aliceKey, bob, bobKey);
    IdentityKey other = IdentityKeyPair.generate(random).publicKey();
    assertThat(SafetyNumber.of(alice, aliceKey, bob, other)).isNotEqualTo(base);
    assertThat(SafetyNumber.of(alice, other, bob, bobKey)).isNotEqualTo(base);
    assertThat(SafetyNumber.of(alice, aliceKey, new UserName("bob@example.net"), bobKey)).isNotEqualTo(base);
  }

  @Test
  void halfMatchesTheDocumentedConstructionComputedWithTheJdk() throws Exception {
    MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
    byte[] name = alice.toBytes();
    byte[] key = aliceKey.bytes();
    sha512.update("qpq/safety-number/v1".getBytes());
    sha512.update((byte) 0);
    sha512.update((byte) name.length);
    sha512.update(name);
    sha512.update(key);
    byte[] h = sha512.digest();
    for (int i = 0; i < 5200; i++) {
      sha512.update(h);
      sha512.update(key);
      h = sha512.digest();
    }
    StringBuilder expected = new StringBuilder();
    for (int c = 0; c < 6; c++) {
      long v = 0;
      for (int j = 0; j < 5; j++) {
        v = (v << 8) | (h[c * 5 + j] & 0xff);
      }
      expected.append(String.format("%05d", v % 100000));
    }
    assertThat(SafetyNumber.half(alice, aliceKey)).isEqualTo(expected.toString());
    String bobHalf = SafetyNumber.half(bob, bobKey);
    String mine = expected.toString();
    String joined = mine.compareTo(bobHalf) <= 0 ? mine + bobHalf : bobHalf + mine;
    assertThat(SafetyNumber.of(alice, aliceKey, bob, bobKey).digits()).isEqualTo(joined);
  }

  @Test
  void rejectsMalformedDigits() {
    assertThatThrownBy(() -> new SafetyNumber("123")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SafetyNumber("x".repeat(60))).isInstanceOf(IllegalArgumentException.class);
  }
}
