package org.quicproquo.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link XdhHpke} against Bouncy Castle's RFC 9180 implementation, in both directions, for the
 * four (KEM, KDF, AEAD) combinations of MLS suites 1, 3, 4 and 6.
 */
class XdhHpkeTest {
  private static final byte[] INFO = "MLS 1.0 UpdatePathNode context".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private final SecureRandom random = new SecureRandom();

  record Combo(HpkeScheme.Kem kem, short kdfId, HashKdf kdf, short aeadId, AeadAlgorithm aead) {
    XdhHpke xdh() {
      return new XdhHpke(kem, kdfId, kdf, aeadId, aead);
    }

    HPKE bc() {
      return new HPKE(HPKE.mode_base, kem.id, kdfId, aeadId);
    }
  }

  static Stream<Arguments> suites() {
    return Stream.of(
        new Combo(HpkeScheme.Kem.X25519, HPKE.kdf_HKDF_SHA256, HashKdf.SHA256, HPKE.aead_AES_GCM128,
            AeadAlgorithm.AES_128_GCM),
        new Combo(HpkeScheme.Kem.X25519, HPKE.kdf_HKDF_SHA256, HashKdf.SHA256,
            HPKE.aead_CHACHA20_POLY1305, AeadAlgorithm.CHACHA20_POLY1305),
        new Combo(HpkeScheme.Kem.X448, HPKE.kdf_HKDF_SHA512, HashKdf.SHA512, HPKE.aead_AES_GCM256,
            AeadAlgorithm.AES_256_GCM),
        new Combo(HpkeScheme.Kem.X448, HPKE.kdf_HKDF_SHA512, HashKdf.SHA512,
            HPKE.aead_CHACHA20_POLY1305, AeadAlgorithm.CHACHA20_POLY1305)).map(Arguments::of);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] encodedPublic(AsymmetricCipherKeyPair kp) {
    return kp.getPublic() instanceof X25519PublicKeyParameters x ? x.getEncoded()
        : ((X448PublicKeyParameters) kp.getPublic()).getEncoded();
  }

  private static byte[] encodedPrivate(AsymmetricCipherKeyPair kp) {
    return kp.getPrivate() instanceof X25519PrivateKeyParameters x ? x.getEncoded()
        : ((X448PrivateKeyParameters) kp.getPrivate()).getEncoded();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void deriveKeyPairMatchesBouncyCastle(Combo c) {
    byte[] ikm = bytes(c.kem().privateKeyLength);
    AsymmetricCipherKeyPair bc = c.bc().deriveKeyPair(ikm);
    HpkeKeyPair ours = c.xdh().deriveKeyPair(ikm);
    assertThat(ours.privateKey()).isEqualTo(encodedPrivate(bc));
    assertThat(ours.publicKey()).isEqualTo(encodedPublic(bc));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void bouncyCastleOpensWhatWeSeal(Combo c) throws Exception {
    HPKE bc = c.bc();
    AsymmetricCipherKeyPair receiver = bc.generatePrivateKey();
    XdhHpke xdh = c.xdh();
    byte[] plain = bytes(100);
    HpkeCiphertext ct = xdh.seal(encodedPublic(receiver), bytes(c.kem().privateKeyLength),
        xdh.context(INFO), AAD, plain);
    HPKEContext rc = bc.setupBaseR(ct.kemOutput(), receiver, INFO);
    assertThat(rc.open(AAD, ct.ciphertext())).isEqualTo(plain);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void weOpenWhatBouncyCastleSealsAndExportTheSameSecret(Combo c) throws Exception {
    HPKE bc = c.bc();
    AsymmetricCipherKeyPair receiver = bc.generatePrivateKey();
    HPKEContextWithEncapsulation sc = bc.setupBaseS(receiver.getPublic(), INFO);
    byte[] plain = bytes(33);
    byte[] sealed = sc.seal(AAD, plain);
    XdhHpke xdh = c.xdh();
    HpkeCiphertext ct = new HpkeCiphertext(sc.getEncapsulation(), sealed);
    byte[] sk = encodedPrivate(receiver);
    byte[] pk = encodedPublic(receiver);
    assertThat(xdh.open(sk, pk, xdh.context(INFO), AAD, ct)).isEqualTo(plain);
    byte[] expCtx = "MLS 1.0 external init secret".getBytes(StandardCharsets.UTF_8);
    assertThat(xdh.exportReceiver(sk, pk, sc.getEncapsulation(), xdh.context(INFO), expCtx, 48))
        .isEqualTo(sc.export(expCtx, 48));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void exportSenderMatchesBouncyCastleReceiver(Combo c) throws Exception {
    HPKE bc = c.bc();
    AsymmetricCipherKeyPair receiver = bc.generatePrivateKey();
    XdhHpke xdh = c.xdh();
    byte[] expCtx = bytes(7);
    HpkeExport export = xdh.exportSender(encodedPublic(receiver), bytes(c.kem().privateKeyLength),
        xdh.context(INFO), expCtx, 32);
    assertThat(bc.setupBaseR(export.kemOutput(), receiver, INFO).export(expCtx, 32))
        .isEqualTo(export.secret());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void tamperedCiphertextWrongInfoAndWrongKeyAreRefused(Combo c) throws Exception {
    XdhHpke xdh = c.xdh();
    HpkeKeyPair receiver = xdh.deriveKeyPair(bytes(c.kem().privateKeyLength));
    HpkeCiphertext ct = xdh.seal(receiver.publicKey(), bytes(c.kem().privateKeyLength),
        xdh.context(INFO), AAD, bytes(32));
    byte[] flipped = ct.ciphertext();
    flipped[0] ^= 1;
    assertThatThrownBy(() -> xdh.open(receiver.privateKey(), receiver.publicKey(),
        xdh.context(INFO), AAD, new HpkeCiphertext(ct.kemOutput(), flipped)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> xdh.open(receiver.privateKey(), receiver.publicKey(),
        xdh.context(AAD), AAD, ct)).isInstanceOf(CryptoException.class);
    HpkeKeyPair other = xdh.deriveKeyPair(bytes(c.kem().privateKeyLength));
    assertThatThrownBy(() -> xdh.open(other.privateKey(), other.publicKey(), xdh.context(INFO),
        AAD, ct)).isInstanceOf(CryptoException.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void smallOrderPublicKeyIsRefused(Combo c) {
    XdhHpke xdh = c.xdh();
    byte[] zero = new byte[c.kem().privateKeyLength]; // u = 0 has order 1 on both curves
    assertThatThrownBy(() -> xdh.seal(zero, bytes(c.kem().privateKeyLength), xdh.context(INFO),
        AAD, bytes(8))).isInstanceOf(CryptoException.class).hasMessageContaining("all-zero");
  }

  @Test
  void aKdfThatIsNotTheKemsIsRejected() {
    assertThatThrownBy(() -> new XdhHpke(HpkeScheme.Kem.X25519, HPKE.kdf_HKDF_SHA512,
        HashKdf.SHA512, HPKE.aead_AES_GCM128, AeadAlgorithm.AES_128_GCM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schemeSealAllIsOpenedByEachReceiver() throws Exception {
    HpkeScheme scheme = new HpkeScheme(HpkeScheme.Kem.X25519, HashKdf.SHA256,
        AeadAlgorithm.AES_128_GCM, random);
    List<HpkeKeyPair> receivers = new ArrayList<>();
    List<byte[]> pks = new ArrayList<>();
    List<byte[]> plains = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      HpkeKeyPair kp = scheme.generateKeyPair();
      receivers.add(kp);
      pks.add(kp.publicKey());
      plains.add(bytes(32));
    }
    List<HpkeCiphertext> cts = scheme.sealAll(pks, plains, INFO, AAD);
    for (int i = 0; i < receivers.size(); i++) {
      assertThat(scheme.open(receivers.get(i).privateKey(), INFO, AAD, cts.get(i)))
          .isEqualTo(plains.get(i));
    }
    assertThatThrownBy(() -> scheme.open(receivers.get(0).privateKey(), INFO, AAD,
        new HpkeCiphertext(new byte[31], cts.get(0).ciphertext())))
        .isInstanceOf(CryptoException.class);
  }
}
