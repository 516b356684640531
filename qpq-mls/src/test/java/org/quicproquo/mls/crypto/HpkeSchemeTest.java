package org.quicproquo.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The receiver's public key is derived once per private key, not on every decryption. */
class HpkeSchemeTest {
  private static final byte[] INFO = "info".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "path secret".getBytes(StandardCharsets.UTF_8);

  private static HpkeScheme scheme(HpkeScheme.Kem kem) {
    HashKdf kdf = switch (kem) {
      case X25519, P256 -> HashKdf.SHA256;
      case P384 -> HashKdf.SHA384;
      case X448, P521 -> HashKdf.SHA512;
    };
    return new HpkeScheme(kem, kdf, AeadAlgorithm.AES_128_GCM, new SecureRandom());
  }

  @ParameterizedTest
  @EnumSource(HpkeScheme.Kem.class)
  void repeatedDecryptionDerivesThePublicKeyOnce(HpkeScheme.Kem kem) throws Exception {
    HpkeScheme hpke = scheme(kem);
    HpkeKeyPair kp = hpke.generateKeyPair();
    long before = hpke.publicKeyDerivations();
    for (int i = 0; i < 5; i++) {
      HpkeCiphertext ct = hpke.seal(kp.publicKey(), INFO, new byte[0], PLAIN);
      assertThat(hpke.open(kp.privateKey(), INFO, new byte[0], ct)).isEqualTo(PLAIN);
      assertThat(hpke.exportReceiver(kp.privateKey(), ct.kemOutput(), INFO, INFO, 16)).hasSize(16);
    }
    assertThat(hpke.publicKey(kp.privateKey())).isEqualTo(kp.publicKey());
    assertThat(hpke.publicKeyDerivations() - before).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(HpkeScheme.Kem.class)
  void givenPublicKeyIsUsedAndMustMatch(HpkeScheme.Kem kem) throws Exception {
    HpkeScheme hpke = scheme(kem);
    HpkeKeyPair kp = hpke.generateKeyPair();
    HpkeKeyPair other = hpke.generateKeyPair();
    HpkeCiphertext ct = hpke.seal(kp.publicKey(), INFO, new byte[0], PLAIN);
    long before = hpke.publicKeyDerivations();
    assertThat(hpke.open(kp.privateKey(), kp.publicKey(), INFO, new byte[0], ct)).isEqualTo(PLAIN);
    assertThat(hpke.publicKeyDerivations()).isEqualTo(before);
    assertThatThrownBy(() -> hpke.open(kp.privateKey(), other.publicKey(), INFO, new byte[0], ct))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> hpke.open(kp.privateKey(), new byte[3], INFO, new byte[0], ct))
        .isInstanceOf(CryptoException.class);
  }

  @ParameterizedTest
  @EnumSource(value = HpkeScheme.Kem.class, names = {"X25519", "P256"})
  void cacheIsSafeUnderConcurrentUseOfManyKeys(HpkeScheme.Kem kem) throws Exception {
    HpkeScheme hpke = scheme(kem);
    List<HpkeKeyPair> keys = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      keys.add(hpke.generateKeyPair());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          for (HpkeKeyPair kp : keys) {
            HpkeCiphertext ct = hpke.seal(kp.publicKey(), INFO, new byte[0], PLAIN);
            if (!java.util.Arrays.equals(hpke.open(kp.privateKey(), INFO, new byte[0], ct), PLAIN)
                || !java.util.Arrays.equals(hpke.publicKey(kp.privateKey()), kp.publicKey())) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
