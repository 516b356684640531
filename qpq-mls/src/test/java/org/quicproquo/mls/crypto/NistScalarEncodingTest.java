package org.quicproquo.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NIST-curve private keys are big-endian scalars; encodings without their leading zero bytes (as
 * some implementations and the RFC 9420 message-protection vectors write them) must be accepted,
 * while zero, values {@literal >=} n and encodings longer than the field are refused.
 */
class NistScalarEncodingTest {
  private static final byte[] CONTENT = "content".getBytes(StandardCharsets.UTF_8);

  private static String curve(CipherSuiteId id) {
    return switch (id) {
      case MLS_128_DHKEMP256_AES128GCM_SHA256_P256 -> "secp256r1";
      case MLS_256_DHKEMP384_AES256GCM_SHA384_P384 -> "secp384r1";
      case MLS_256_DHKEMP521_AES256GCM_SHA512_P521 -> "secp521r1";
      default -> throw new IllegalArgumentException(id.toString());
    };
  }

  private static int fieldLength(CipherSuiteId id) {
    return switch (id) {
      case MLS_128_DHKEMP256_AES128GCM_SHA256_P256 -> 32;
      case MLS_256_DHKEMP384_AES256GCM_SHA384_P384 -> 48;
      default -> 66;
    };
  }

  /** A valid scalar whose fixed-width encoding starts with {@code zeros} zero bytes. */
  private static byte[] scalarWithLeadingZeros(CipherSuiteId id, int zeros, SecureRandom rnd) {
    byte[] full = new byte[fieldLength(id)];
    byte[] tail = new byte[full.length - zeros];
    rnd.nextBytes(tail);
    tail[0] |= 1; // non-zero top byte: the encoding has exactly `zeros` leading zeros
    System.arraycopy(tail, 0, full, zeros, tail.length);
    return full;
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuiteId.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
      "MLS_256_DHKEMP384_AES256GCM_SHA384_P384", "MLS_256_DHKEMP521_AES256GCM_SHA512_P521"})
  void shortSignatureKeysActAsTheirFixedWidthForm(CipherSuiteId id) throws Exception {
    SecureRandom rnd = new SecureRandom();
    CipherSuite cs = CipherSuites.of(id, rnd);
    for (int zeros : new int[] {1, 2}) {
      byte[] full = scalarWithLeadingZeros(id, zeros, rnd);
      byte[] shortForm = Arrays.copyOfRange(full, zeros, full.length);
      byte[] pub = cs.signaturePublicKey(full);
      assertThat(cs.signaturePublicKey(shortForm)).isEqualTo(pub);
      byte[] sig = cs.signWithLabel(shortForm, "L", CONTENT);
      assertThat(cs.verifyWithLabel(pub, "L", CONTENT, sig)).isTrue();
      // RFC 6979 nonces depend only on the scalar's value, so both encodings sign identically.
      assertThat(sig).isEqualTo(cs.signWithLabel(full, "L", CONTENT));
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuiteId.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
      "MLS_256_DHKEMP384_AES256GCM_SHA384_P384", "MLS_256_DHKEMP521_AES256GCM_SHA512_P521"})
  void shortHpkeKeysActAsTheirFixedWidthForm(CipherSuiteId id) throws Exception {
    SecureRandom rnd = new SecureRandom();
    CipherSuite cs = CipherSuites.of(id, rnd);
    byte[] full = scalarWithLeadingZeros(id, 1, rnd);
    byte[] shortForm = Arrays.copyOfRange(full, 1, full.length);
    byte[] pub = cs.hpkePublicKey(full);
    assertThat(cs.hpkePublicKey(shortForm)).isEqualTo(pub);
    HpkeCiphertext ct = cs.encryptWithLabel(pub, "L", CONTENT, CONTENT);
    assertThat(cs.decryptWithLabel(shortForm, "L", CONTENT, ct)).isEqualTo(CONTENT);
    assertThat(cs.decryptWithLabel(full, "L", CONTENT, ct)).isEqualTo(CONTENT);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuiteId.class, names = {"MLS_128_DHKEMP256_AES128GCM_SHA256_P256",
      "MLS_256_DHKEMP384_AES256GCM_SHA384_P384", "MLS_256_DHKEMP521_AES256GCM_SHA512_P521"})
  void zeroOutOfRangeAndOverlongScalarsAreRefused(CipherSuiteId id) {
    CipherSuite cs = CipherSuites.of(id, new SecureRandom());
    int len = fieldLength(id);
    BigInteger n = CustomNamedCurves.getByName(curve(id)).getN();
    byte[] valid = cs.generateSignatureKeyPair().privateKey();
    byte[][] bad = {
        new byte[0],
        new byte[1],
        new byte[len],
        BigIntegers.asUnsignedByteArray(len, n),
        BigIntegers.asUnsignedByteArray(len, n.add(BigInteger.ONE)),
        BigIntegers.asUnsignedByteArray(n), // n without padding: short form but still >= n
        concat(new byte[1], valid), // a valid scalar, but longer than the field
        filledWith(len, (byte) 0xff),
    };
    for (byte[] key : bad) {
      assertThatThrownBy(() -> cs.signaturePublicKey(key)).isInstanceOf(CryptoException.class);
      assertThatThrownBy(() -> cs.signWithLabel(key, "L", CONTENT)).isInstanceOf(CryptoException.class);
      assertThatThrownBy(() -> cs.hpkePublicKey(key)).isInstanceOf(CryptoException.class);
    }
  }

  @Test
  void montgomeryAndEdwardsKeysMustStillHaveTheirExactLength() {
    CipherSuite cs = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        new SecureRandom());
    byte[] sig = cs.generateSignatureKeyPair().privateKey();
    byte[] hpke = cs.generateHpkeKeyPair().privateKey();
    assertThatThrownBy(() -> cs.signaturePublicKey(Arrays.copyOf(sig, 31)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cs.hpkePublicKey(Arrays.copyOf(hpke, 31)))
        .isInstanceOf(CryptoException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] filledWith(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }
}
