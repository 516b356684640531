package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class SignedTreeHeadTest {
  static final LogSigningKey KEY = LogSigningKey.fromSeed(seed(1));
  static final LogSigningKey OTHER = LogSigningKey.fromSeed(seed(2));
  private static final byte[] ROOT = NaiveTree.sha256("root".getBytes(StandardCharsets.US_ASCII));

  static byte[] seed(int fill) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) fill);
    return s;
  }

  @Test
  void signatureCoversTheLabelledEncoding() throws Exception {
    SignedTreeHead sth = KEY.sign(1234, ROOT, 5678);
    sth.verify(KEY.publicKey());
    // Rebuild the signed bytes by hand and verify with Bouncy Castle directly.
    byte[] tbs = new Wire.Writer().bytes("qpq kt tree head v1".getBytes(StandardCharsets.US_ASCII))
        .u8(0).u64(1234).bytes(ROOT).u64(5678).toByteArray();
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(KEY.publicKey().bytes(), 0));
    verifier.update(tbs, 0, tbs.length);
    assertThat(verifier.verifySignature(sth.signature())).isTrue();
  }

  @Test
  void anyChangeBreaksTheSignature() {
    SignedTreeHead sth = KEY.sign(1234, ROOT, 5678);
    byte[] otherRoot = ROOT.clone();
    otherRoot[0] ^= 1;
    byte[] badSig = sth.signature();
    badSig[10] ^= 1;
    for (SignedTreeHead forged : new SignedTreeHead[] {
        new SignedTreeHead(1235, ROOT, 5678, sth.signature()),
        new SignedTreeHead(1234, otherRoot, 5678, sth.signature()),
        new SignedTreeHead(1234, ROOT, 5679, sth.signature()),
        new SignedTreeHead(1234, ROOT, 5678, badSig)}) {
      assertThatThrownBy(() -> LogVerifier.verifyTreeHead(forged, KEY.publicKey()))
          .isInstanceOf(KtException.class).extracting(t -> ((KtException) t).reason())
          .isEqualTo(KtException.Reason.BAD_SIGNATURE);
    }
    assertThatThrownBy(() -> sth.verify(OTHER.publicKey())).isInstanceOf(KtException.class)
        .extracting(t -> ((KtException) t).reason()).isEqualTo(KtException.Reason.BAD_SIGNATURE);
  }

  @Test
  void wireFormRoundTripsAndIsStrict() throws KtException {
    SignedTreeHead sth = KEY.sign(7, ROOT, 8);
    byte[] encoded = sth.encode();
    assertThat(encoded).hasSize(SignedTreeHead.ENCODED_LENGTH).hasSize(113);
    assertThat(SignedTreeHead.decode(encoded)).isEqualTo(sth);
    assertThatThrownBy(() -> SignedTreeHead.decode(Arrays.copyOf(encoded, 114)))
        .isInstanceOf(KtException.class);
    assertThatThrownBy(() -> SignedTreeHead.decode(Arrays.copyOf(encoded, 112)))
        .isInstanceOf(KtException.class);
    byte[] version2 = encoded.clone();
    version2[0] = 2;
    assertThatThrownBy(() -> SignedTreeHead.decode(version2)).isInstanceOf(KtException.class)
        .hasMessageContaining("version");
  }

  @Test
  void keysRoundTripAndBadKeysAreMalformed() throws KtException {
    assertThat(LogSigningKey.fromSeed(KEY.seed()).publicKey()).isEqualTo(KEY.publicKey());
    assertThat(LogPublicKey.decode(KEY.publicKey().bytes())).isEqualTo(KEY.publicKey());
    assertThatThrownBy(() -> LogPublicKey.decode(new byte[31])).isInstanceOf(KtException.class)
        .extracting(t -> ((KtException) t).reason()).isEqualTo(KtException.Reason.MALFORMED);
    assertThat(KEY.toString()).doesNotContain(java.util.HexFormat.of().formatHex(KEY.seed()));
    LogSigningKey random = LogSigningKey.generate(new java.security.SecureRandom());
    assertThat(random.publicKey()).isNotEqualTo(KEY.publicKey());
  }
}
