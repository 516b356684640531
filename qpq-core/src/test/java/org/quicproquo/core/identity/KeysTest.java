package org.quicproquo.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void rfc8032TestVector1() throws Exception {
    // RFC 8032 section 7.1, TEST 1 (empty message).
    HexFormat hex = HexFormat.of();
    IdentityKeyPair pair = IdentityKeyPair.fromPrivateKey(
        hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(pair.publicKey().bytes()).isEqualTo(
        hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    byte[] sig = pair.sign(new byte[0]);
    assertThat(hex.formatHex(sig)).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(pair.publicKey().verify(new byte[0], sig)).isTrue();
  }

  @Test
  void signAndVerifyRoundTripAndRestore() throws Exception {
    DeviceKeyPair device = DeviceKeyPair.generate(random);
    byte[] msg = "login challenge".getBytes();
    byte[] sig = device.sign(msg);
    assertThat(device.publicKey().verify(msg, sig)).isTrue();
    assertThat(device.publicKey().verify("other".getBytes(), sig)).isFalse();
    sig[0] ^= 1;
    assertThat(device.publicKey().verify(msg, sig)).isFalse();
    assertThat(device.publicKey().verify(msg, new byte[3])).isFalse();
    DeviceKeyPair restored = DeviceKeyPair.fromPrivateKey(device.privateKeyBytes());
    assertThat(restored.publicKey()).isEqualTo(device.publicKey());
  }

  @Test
  void publicKeysAreValueTypesWithDefensiveCopies() throws Exception {
    IdentityKey key = IdentityKeyPair.generate(random).publicKey();
    byte[] bytes = key.bytes();
    bytes[0] ^= 1;
    assertThat(key.bytes()).isNotEqualTo(bytes);
    assertThat(IdentityKey.of(key.bytes())).isEqualTo(key).hasSameHashCodeAs(key);
  }

  @Test
  void rejectsMalformedKeys() {
    assertThatThrownBy(() -> IdentityKey.of(new byte[31])).isInstanceOf(InvalidIdentityException.class);
    assertThatThrownBy(() -> DevicePublicKey.of(null)).isInstanceOf(InvalidIdentityException.class);
    // y = 2 is not the y coordinate of any point on edwards25519.
    byte[] notAPoint = new byte[32];
    notAPoint[0] = 2;
    assertThatThrownBy(() -> DevicePublicKey.of(notAPoint)).hasMessageContaining("point");
    assertThatThrownBy(() -> IdentityKeyPair.fromPrivateKey(new byte[33]))
        .isInstanceOf(InvalidIdentityException.class);
  }

  @Test
  void toStringHidesPrivateKey() {
    IdentityKeyPair pair = IdentityKeyPair.generate(random);
    assertThat(pair.toString()).doesNotContain(HexFormat.of().formatHex(pair.privateKeyBytes()));
  }
}
