package org.quicproquo.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BcCipherSuiteTest {
  private static final byte[] CONTENT = "content to sign".getBytes(StandardCharsets.UTF_8);

  private static CipherSuite suite(CipherSuiteId id) {
    return CipherSuites.of(id, new SecureRandom());
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void signatureRoundTripAndTamper(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    SignatureKeyPair kp = cs.generateSignatureKeyPair();
    assertThat(cs.signaturePublicKey(kp.privateKey())).isEqualTo(kp.publicKey());

    byte[] sig = cs.signWithLabel(kp.privateKey(), "Label", CONTENT);
    assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", CONTENT, sig)).isTrue();

    byte[] flipped = sig.clone();
    flipped[flipped.length / 2] ^= 0x01;
    assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", CONTENT, flipped)).isFalse();
    assertThat(cs.verifyWithLabel(kp.publicKey(), "Other", CONTENT, sig)).isFalse();
    assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", "other".getBytes(StandardCharsets.UTF_8), sig))
        .isFalse();
    SignatureKeyPair other = cs.generateSignatureKeyPair();
    assertThat(cs.verifyWithLabel(other.publicKey(), "Label", CONTENT, sig)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void malformedSignaturesAndKeysAreRejectedWithoutThrowing(CipherSuiteId id) {
    CipherSuite cs = suite(id);
    SignatureKeyPair kp = cs.generateSignatureKeyPair();
    byte[] sig = sign(cs, kp);
    byte[][] badSigs = {
        new byte[0],
        Arrays.copyOf(sig, sig.length - 1),
        Arrays.copyOf(sig, sig.length + 1), // trailing byte after the signature
        new byte[sig.length],
        filled(sig.length, (byte) 0xff),
    };
    for (byte[] bad : badSigs) {
      assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", CONTENT, bad)).isFalse();
    }
    byte[][] badKeys = {
        new byte[0],
        Arrays.copyOf(kp.publicKey(), kp.publicKey().length - 1),
        filled(kp.publicKey().length, (byte) 0xff),
    };
    for (byte[] bad : badKeys) {
      assertThat(cs.verifyWithLabel(bad, "Label", CONTENT, sig)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuiteId.class, names = {"MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519",
      "MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448"})
  void eddsaRejectsNonCanonicalS(CipherSuiteId id) {
    CipherSuite cs = suite(id);
    SignatureKeyPair kp = cs.generateSignatureKeyPair();
    byte[] sig = sign(cs, kp);
    // S + L is the same scalar mod L but must be refused (RFC 8032 §5.1.7 step 1).
    byte[] malleated = addGroupOrderToS(sig, id == CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519);
    assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", CONTENT, malleated)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuiteId.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
      "MLS_256_DHKEMP521_AES256GCM_SHA512_P521", "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"})
  void ecdsaRejectsNonCanonicalDer(CipherSuiteId id) {
    CipherSuite cs = suite(id);
    SignatureKeyPair kp = cs.generateSignatureKeyPair();
    byte[] sig = sign(cs, kp);
    assertThat(sig[0]).isEqualTo((byte) 0x30);
    // The same SEQUENCE with its length in long form (0x81 nn) is valid BER but not DER.
    int contentLength = sig.length - (sig[1] == (byte) 0x81 ? 3 : 2);
    if (sig[1] != (byte) 0x81) {
      byte[] ber = new byte[sig.length + 1];
      ber[0] = 0x30;
      ber[1] = (byte) 0x81;
      ber[2] = (byte) contentLength;
      System.arraycopy(sig, 2, ber, 3, contentLength);
      assertThat(cs.verifyWithLabel(kp.publicKey(), "Label", CONTENT, ber)).isFalse();
    }
    // A compressed public key is refused: the suites use uncompressed points only.
    byte[] pub = kp.publicKey();
    int coord = (pub.length - 1) / 2;
    byte[] compressed = new byte[1 + coord];
    compressed[0] = (byte) (2 + (pub[pub.length - 1] & 1));
    System.arraycopy(pub, 1, compressed, 1, coord);
    assertThat(cs.verifyWithLabel(compressed, "Label", CONTENT, sig)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void aeadRoundTripAndTamper(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    byte[] key = cs.randomBytes(cs.aeadKeyLength());
    byte[] nonce = cs.randomBytes(cs.aeadNonceLength());
    byte[] aad = {1, 2, 3};
    byte[] pt = "hello group".getBytes(StandardCharsets.UTF_8);
    byte[] ct = cs.aeadSeal(key, nonce, aad, pt);
    assertThat(ct).hasSize(pt.length + 16);
    assertThat(cs.aeadOpen(key, nonce, aad, ct)).isEqualTo(pt);

    for (int i = 0; i < ct.length; i++) {
      byte[] t = ct.clone();
      t[i] ^= 0x40;
      assertThatThrownBy(() -> cs.aeadOpen(key, nonce, aad, t)).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> cs.aeadOpen(key, nonce, new byte[] {1, 2}, ct))
        .isInstanceOf(CryptoException.class);
    byte[] otherNonce = nonce.clone();
    otherNonce[0] ^= 1;
    assertThatThrownBy(() -> cs.aeadOpen(key, otherNonce, aad, ct)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.aeadOpen(key, nonce, aad, new byte[5])).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.aeadOpen(new byte[3], nonce, aad, ct)).isInstanceOf(CryptoException.class);
    assertThat(cs.aeadOpen(key, nonce, aad, cs.aeadSeal(key, nonce, aad, new byte[0]))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void aeadIsDeterministicWhenTheSameKeyAndNonceAreUsedAgain(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    byte[] key = cs.randomBytes(cs.aeadKeyLength());
    byte[] nonce = cs.randomBytes(cs.aeadNonceLength());
    byte[] first = cs.aeadSeal(key, nonce, new byte[0], new byte[] {1, 2});
    assertThat(cs.aeadSeal(key, nonce, new byte[0], new byte[] {1, 2})).isEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void alternatingKeysSignAndVerifyCorrectly(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    SignatureKeyPair a = cs.generateSignatureKeyPair();
    SignatureKeyPair b = cs.generateSignatureKeyPair();
    for (int i = 0; i < 3; i++) {
      byte[] sa = cs.signWithLabel(a.privateKey(), "L", CONTENT);
      byte[] sb = cs.signWithLabel(b.privateKey(), "L", CONTENT);
      assertThat(cs.verifyWithLabel(a.publicKey(), "L", CONTENT, sa)).isTrue();
      assertThat(cs.verifyWithLabel(b.publicKey(), "L", CONTENT, sb)).isTrue();
      assertThat(cs.verifyWithLabel(a.publicKey(), "L", CONTENT, sb)).isFalse();
      assertThat(cs.verifyWithLabel(b.publicKey(), "L", CONTENT, sa)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void suiteIsUsableFromManyThreads(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    SignatureKeyPair kp = cs.generateSignatureKeyPair();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          byte[] key = cs.randomBytes(cs.aeadKeyLength());
          byte[] nonce = cs.randomBytes(cs.aeadNonceLength());
          byte[] ct = cs.aeadSeal(key, nonce, CONTENT, CONTENT);
          byte[] sig = cs.signWithLabel(kp.privateKey(), "L", ct);
          return Arrays.equals(cs.aeadOpen(key, nonce, CONTENT, ct), CONTENT)
              && cs.verifyWithLabel(kp.publicKey(), "L", ct, sig);
        }));
      }
      for (java.util.concurrent.Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void hpkeRoundTripAndTamper(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    HpkeKeyPair kp = cs.generateHpkeKeyPair();
    assertThat(cs.hpkePublicKey(kp.privateKey())).isEqualTo(kp.publicKey());
    byte[] ctx = {9, 9};
    byte[] pt = "path secret".getBytes(StandardCharsets.UTF_8);

    HpkeCiphertext ct = cs.encryptWithLabel(kp.publicKey(), "UpdatePathNode", ctx, pt);
    assertThat(cs.decryptWithLabel(kp.privateKey(), "UpdatePathNode", ctx, ct)).isEqualTo(pt);

    assertThatThrownBy(() -> cs.decryptWithLabel(kp.privateKey(), "Welcome", ctx, ct))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.decryptWithLabel(kp.privateKey(), "UpdatePathNode", new byte[0], ct))
        .isInstanceOf(CryptoException.class);
    byte[] body = ct.ciphertext();
    body[0] ^= 1;
    assertThatThrownBy(() -> cs.decryptWithLabel(kp.privateKey(), "UpdatePathNode", ctx,
        new HpkeCiphertext(ct.kemOutput(), body))).isInstanceOf(CryptoException.class);
    HpkeKeyPair other = cs.generateHpkeKeyPair();
    assertThatThrownBy(() -> cs.decryptWithLabel(other.privateKey(), "UpdatePathNode", ctx, ct))
        .isInstanceOf(CryptoException.class);
    byte[] kem = ct.kemOutput();
    assertThatThrownBy(() -> cs.decryptWithLabel(kp.privateKey(), "UpdatePathNode", ctx,
        new HpkeCiphertext(Arrays.copyOf(kem, kem.length - 1), ct.ciphertext())))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.encryptWithLabel(new byte[7], "UpdatePathNode", ctx, pt))
        .isInstanceOf(CryptoException.class);
    // all-zero: a small-order X25519/X448 point (zero shared secret) or not a SEC1 point at all
    assertThatThrownBy(() -> cs.decryptWithLabel(kp.privateKey(), "UpdatePathNode", ctx,
        new HpkeCiphertext(new byte[kem.length], ct.ciphertext()))).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.encryptWithLabel(new byte[kp.publicKey().length], "UpdatePathNode", ctx, pt))
        .isInstanceOf(CryptoException.class);
    byte[] offCurve = kp.publicKey();
    offCurve[offCurve.length - 1] ^= 1;
    if (offCurve[0] == 0x04 && offCurve.length % 2 == 1) {
      assertThatThrownBy(() -> cs.encryptWithLabel(offCurve, "UpdatePathNode", ctx, pt))
          .isInstanceOf(CryptoException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void hpkeExportAgreesAndDeriveIsDeterministic(CipherSuiteId id) throws Exception {
    CipherSuite cs = suite(id);
    HpkeKeyPair kp = cs.deriveHpkeKeyPair(new byte[cs.hashLength()]);
    assertThat(cs.deriveHpkeKeyPair(new byte[cs.hashLength()])).isEqualTo(kp);
    byte[] info = {4, 2};
    HpkeExport sent = cs.hpkeExportSender(kp.publicKey(), info, new byte[0], cs.hashLength());
    byte[] received = cs.hpkeExportReceiver(kp.privateKey(), sent.kemOutput(), info, new byte[0],
        cs.hashLength());
    assertThat(received).isEqualTo(sent.secret()).hasSize(cs.hashLength());
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void seededRandomGivesRepeatableKeys(CipherSuiteId id) throws Exception {
    CipherSuite a = CipherSuites.of(id, seeded());
    CipherSuite b = CipherSuites.of(id, seeded());
    assertThat(a.generateSignatureKeyPair()).isEqualTo(b.generateSignatureKeyPair());
    assertThat(a.generateHpkeKeyPair()).isEqualTo(b.generateHpkeKeyPair());
  }

  @ParameterizedTest
  @EnumSource(CipherSuiteId.class)
  void batchEncryptionEqualsOneByOneInOrderAndDecrypts(CipherSuiteId id) throws Exception {
    CipherSuite keys = suite(id);
    java.util.List<HpkeKeyPair> recipients = new java.util.ArrayList<>();
    java.util.List<byte[]> plaintexts = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) { // above the parallel threshold
      recipients.add(keys.generateHpkeKeyPair());
      plaintexts.add(new byte[] {(byte) i, 1, 2});
    }
    java.util.List<byte[]> pks = recipients.stream().map(HpkeKeyPair::publicKey).toList();
    byte[] context = {9, 9};
    CipherSuite batch = CipherSuites.of(id, seeded());
    CipherSuite single = CipherSuites.of(id, seeded());
    java.util.List<HpkeCiphertext> all = batch.encryptWithLabel(pks, plaintexts, "Label", context);
    assertThat(all).hasSize(9);
    for (int i = 0; i < 9; i++) {
      // Same seeded source, same order: byte-identical to the one-by-one calls.
      assertThat(all.get(i)).isEqualTo(
          single.encryptWithLabel(pks.get(i), "Label", context, plaintexts.get(i)));
      assertThat(keys.decryptWithLabel(recipients.get(i).privateKey(), "Label", context,
          all.get(i))).isEqualTo(plaintexts.get(i));
    }
    java.util.List<byte[]> bad = new java.util.ArrayList<>(pks);
    bad.set(5, new byte[3]);
    assertThatThrownBy(() -> batch.encryptWithLabel(bad, plaintexts, "Label", context))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> batch.encryptWithLabel(pks, plaintexts.subList(0, 8), "Label",
        context)).isInstanceOf(IllegalArgumentException.class);
  }

  private static SecureRandom seeded() throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(42);
    return r;
  }

  private static byte[] sign(CipherSuite cs, SignatureKeyPair kp) {
    try {
      return cs.signWithLabel(kp.privateKey(), "Label", CONTENT);
    } catch (CryptoException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }

  /** Adds the group order L to the little-endian S half of an EdDSA signature. */
  private static byte[] addGroupOrderToS(byte[] sig, boolean ed25519) {
    java.math.BigInteger order = ed25519
        ? java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"))
        : java.math.BigInteger.TWO.pow(446).subtract(new java.math.BigInteger(
            "13818066809895115352007386748515426880336692474882178609894547503885"));
    int half = sig.length / 2;
    byte[] sLe = Arrays.copyOfRange(sig, half, sig.length);
    byte[] sBe = reverse(sLe);
    java.math.BigInteger s = new java.math.BigInteger(1, sBe).add(order);
    byte[] be = s.toByteArray();
    byte[] fixed = new byte[half];
    int copy = Math.min(be.length, half);
    System.arraycopy(be, be.length - copy, fixed, half - copy, copy);
    byte[] out = sig.clone();
    System.arraycopy(reverse(fixed), 0, out, half, half);
    return out;
  }

  private static byte[] reverse(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }
}
