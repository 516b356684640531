package org.quicproquo.mls.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;
import org.bouncycastle.util.BigIntegers;

/**
 * A signature algorithm of the MLS cipher suites over raw key encodings (see {@link CipherSuite}).
 * Implementations are immutable and thread-safe.
 */
sealed interface SignatureScheme {
  SignatureKeyPair generate(SecureRandom random);

  byte[] publicKey(byte[] privateKey) throws CryptoException;

  byte[] sign(byte[] privateKey, byte[] message) throws CryptoException;

  /** False for a wrong signature, a malformed signature encoding or an invalid public key. */
  boolean verify(byte[] publicKey, byte[] message, byte[] signature);

  static SignatureScheme ed25519() {
    return new EdDsa25519();
  }

  static SignatureScheme ed448() {
    return new EdDsa448();
  }

  static SignatureScheme ecdsa(String curve, HashKdf hash) {
    return new Ecdsa(curve, hash);
  }

  /**
   * RFC 8032 Ed25519 (pure). Stays on Bouncy Castle: the JDK 17 SunEC Ed25519 gives identical
   * signatures but measured ~7-12x slower here (about 700 us per sign and verify vs BC's 50-110 us).
   */
  final class EdDsa25519 implements SignatureScheme {
    /** A private key with its public key derived once (signing needs both). */
    private record Signer(Ed25519PrivateKeyParameters sk, Ed25519PublicKeyParameters pk) {}

    private final KeyCache<Ed25519PublicKeyParameters, Signer> cache = new KeyCache<>();

    @Override
    public SignatureKeyPair generate(SecureRandom random) {
      Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(random);
      return new SignatureKeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
    }

    private static Ed25519PrivateKeyParameters priv(byte[] privateKey) throws CryptoException {
      if (privateKey.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
        throw new CryptoException("Ed25519 private key must be 32 bytes");
      }
      return new Ed25519PrivateKeyParameters(privateKey);
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
      return priv(privateKey).generatePublicKey().getEncoded();
    }

    @Override
    public byte[] sign(byte[] privateKey, byte[] message) throws CryptoException {
      if (privateKey.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
        throw new CryptoException("Ed25519 private key must be 32 bytes");
      }
      Signer signer = cache.privateKey(privateKey, b -> {
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(b);
        return new Signer(sk, sk.generatePublicKey());
      });
      byte[] sig = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
      signer.sk.sign(Ed25519.Algorithm.Ed25519, signer.pk, null, message, 0, message.length, sig, 0);
      return sig;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
      if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE
          || signature.length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
      try {
        // Bouncy Castle decodes the point strictly and rejects non-canonical R and S >= L.
        Ed25519PublicKeyParameters pk = cache.publicKey(publicKey, Ed25519PublicKeyParameters::new);
        return pk != null && pk.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** RFC 8032 Ed448 (pure, empty context). */
  final class EdDsa448 implements SignatureScheme {
    private static final byte[] NO_CONTEXT = new byte[0];

    private record Signer(Ed448PrivateKeyParameters sk, Ed448PublicKeyParameters pk) {}

    private final KeyCache<Ed448PublicKeyParameters, Signer> cache = new KeyCache<>();

    @Override
    public SignatureKeyPair generate(SecureRandom random) {
      Ed448PrivateKeyParameters sk = new Ed448PrivateKeyParameters(random);
      return new SignatureKeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
    }

    private static Ed448PrivateKeyParameters priv(byte[] privateKey) throws CryptoException {
      if (privateKey.length != Ed448PrivateKeyParameters.KEY_SIZE) {
        throw new CryptoException("Ed448 private key must be 57 bytes");
      }
      return new Ed448PrivateKeyParameters(privateKey);
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
      return priv(privateKey).generatePublicKey().getEncoded();
    }

    @Override
    public byte[] sign(byte[] privateKey, byte[] message) throws CryptoException {
      if (privateKey.length != Ed448PrivateKeyParameters.KEY_SIZE) {
        throw new CryptoException("Ed448 private key must be 57 bytes");
      }
      Signer signer = cache.privateKey(privateKey, b -> {
        Ed448PrivateKeyParameters sk = new Ed448PrivateKeyParameters(b);
        return new Signer(sk, sk.generatePublicKey());
      });
      byte[] sig = new byte[Ed448PrivateKeyParameters.SIGNATURE_SIZE];
      signer.sk.sign(Ed448.Algorithm.Ed448, signer.pk, NO_CONTEXT, message, 0, message.length, sig, 0);
      return sig;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
      if (publicKey.length != Ed448PublicKeyParameters.KEY_SIZE
          || signature.length != Ed448.SIGNATURE_SIZE) {
        return false;
      }
      try {
        Ed448PublicKeyParameters pk = cache.publicKey(publicKey, Ed448PublicKeyParameters::new);
        return pk != null && pk.verify(Ed448.Algorithm.Ed448, NO_CONTEXT, message, 0, message.length, signature, 0);
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /**
   * ECDSA (FIPS 186-4) with deterministic nonces (RFC 6979), signatures DER-encoded
   * {@code Ecdsa-Sig-Value} as the RFC 9420 test vectors use. Verification accepts only the
   * canonical DER encoding with 0 < r, s < n.
   */
  final class Ecdsa implements SignatureScheme {
    private final ECDomainParameters domain;
    private final HashKdf hash;
    private final int scalarLength;

    Ecdsa(String curveName, HashKdf hash) {
      X9ECParameters x9 = CustomNamedCurves.getByName(curveName);
      this.domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
      this.hash = hash;
      this.scalarLength = (x9.getCurve().getFieldSize() + 7) / 8;
    }

    @Override
    public SignatureKeyPair generate(SecureRandom random) {
      BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, domain.getN().subtract(BigInteger.ONE), random);
      ECPoint q = new FixedPointCombMultiplier().multiply(domain.getG(), d).normalize();
      return new SignatureKeyPair(BigIntegers.asUnsignedByteArray(scalarLength, d), q.getEncoded(false));
    }

    /**
     * The big-endian scalar; shorter encodings than the field size are accepted (other
     * implementations drop leading zero bytes, e.g. the 65-byte P-521 key of the RFC 9420
     * message-protection vectors), longer ones are not.
     */
    private BigInteger scalar(byte[] privateKey) throws CryptoException {
      if (privateKey.length > scalarLength) {
        throw new CryptoException("ECDSA private key longer than " + scalarLength + " bytes");
      }
      BigInteger d = new BigInteger(1, privateKey);
      if (d.signum() == 0 || d.compareTo(domain.getN()) >= 0) {
        throw new CryptoException("ECDSA private key out of range");
      }
      return d;
    }

    @Override
    public byte[] publicKey(byte[] privateKey) throws CryptoException {
      return new FixedPointCombMultiplier().multiply(domain.getG(), scalar(privateKey)).getEncoded(false);
    }

    private byte[] digest(byte[] message) {
      return hash.hash(message);
    }

    @Override
    public byte[] sign(byte[] privateKey, byte[] message) throws CryptoException {
      Digest kDigest = hash.newDigest();
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(kDigest));
      signer.init(true, new ECPrivateKeyParameters(scalar(privateKey), domain));
      BigInteger[] rs = signer.generateSignature(digest(message));
      try {
        return StandardDSAEncoding.INSTANCE.encode(domain.getN(), rs[0], rs[1]);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
      }
    }

    /** The uncompressed SEC1 point, validated to lie on the curve and not be the identity. */
    ECPublicKeyParameters parsePublicKey(byte[] publicKey) {
      if (publicKey.length != 1 + 2 * scalarLength || publicKey[0] != 0x04) {
        return null;
      }
      try {
        ECPoint q = domain.getCurve().decodePoint(publicKey);
        if (q.isInfinity() || !q.isValid()) {
          return null;
        }
        return new ECPublicKeyParameters(q, domain);
      } catch (RuntimeException e) {
        return null;
      }
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
      ECPublicKeyParameters pk = parsePublicKey(publicKey);
      if (pk == null) {
        return false;
      }
      BigInteger[] rs;
      try {
        // decode() re-encodes and compares, so only canonical DER with 0 < r, s < n passes.
        rs = StandardDSAEncoding.INSTANCE.decode(domain.getN(), signature);
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, pk);
      return verifier.verifySignature(digest(message), rs[0], rs[1]);
    }
  }
}
