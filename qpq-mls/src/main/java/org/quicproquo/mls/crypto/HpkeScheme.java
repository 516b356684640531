package org.quicproquo.mls.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * RFC 9180 HPKE in base mode for one (KEM, KDF, AEAD) combination: for X25519 and X448 on
 * {@link XdhHpke} (Bouncy Castle's curve arithmetic with a JCA key schedule, which is faster), for
 * the NIST curves on Bouncy Castle's {@link HPKE}, one instance per thread. Keys are
 * (de)serialised here in the raw encodings of {@link CipherSuite}. Ephemeral keys come from
 * DeriveKeyPair over bytes of the injected {@link SecureRandom} (RFC 9180 §7.1.3 allows
 * GenerateKeyPair to be built that way), so tests with a seeded source are deterministic.
 */
final class HpkeScheme {
  enum Kem {
    X25519(HPKE.kem_X25519_SHA256, 32, null),
    X448(HPKE.kem_X448_SHA512, 56, null),
    P256(HPKE.kem_P256_SHA256, 32, "secp256r1"),
    P384(HPKE.kem_P384_SHA384, 48, "secp384r1"),
    P521(HPKE.kem_P521_SHA512, 66, "secp521r1");

    final short id;
    /** Nsk: private key length. */
    final int privateKeyLength;
    final String curve;

    Kem(short id, int privateKeyLength, String curve) {
      this.id = id;
      this.privateKeyLength = privateKeyLength;
      this.curve = curve;
    }
  }

  private final Kem kem;
  private final short kdfId;
  private final short aeadId;
  private final SecureRandom random;
  private final ECDomainParameters domain;
  private final ThreadLocal<HPKE> perThread;
  /** The X25519/X448 implementation; null for the NIST curves. */
  private final XdhHpke xdh;
  /**
   * Encoded public keys of private keys seen before, keyed by a hash of the private key (never the
   * key itself: the cache must not keep secrets alive past their deletion). Receivers need pkR for
   * the KEM context (RFC 9180 §4.1); deriving it is a full scalar multiplication per decryption.
   */
  private final ConcurrentHashMap<KeyId, byte[]> publicKeys = new ConcurrentHashMap<>();
  /** How often a public key was derived from a private one (a test hook for the cache). */
  private final AtomicLong publicKeyDerivations = new AtomicLong();

  static final int MAX_CACHED_PUBLIC_KEYS = 1024;
  /**
   * Fewest encryptions {@link #sealAll} spreads over threads: below it the hand-off costs about
   * as much as it saves (one encryption is two X25519 multiplications, ~0.1 ms here).
   */
  static final int PARALLEL_THRESHOLD = 4;
  private static final byte[] KEY_ID_PREFIX =
      "qpq hpke public key cache".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** SHA-256 of a private key, as a map key. */
  private record KeyId(byte[] digest) {
    static KeyId of(byte[] privateKey) {
      SHA256Digest d = new SHA256Digest();
      d.update(KEY_ID_PREFIX, 0, KEY_ID_PREFIX.length);
      d.update(privateKey, 0, privateKey.length);
      byte[] out = new byte[d.getDigestSize()];
      d.doFinal(out, 0);
      return new KeyId(out);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyId k && Arrays.equals(k.digest, digest);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(digest);
    }
  }

  HpkeScheme(Kem kem, HashKdf kdf, AeadAlgorithm aead, SecureRandom random) {
    this.kem = kem;
    this.kdfId = switch (kdf) {
      case SHA256 -> HPKE.kdf_HKDF_SHA256;
      case SHA384 -> HPKE.kdf_HKDF_SHA384;
      case SHA512 -> HPKE.kdf_HKDF_SHA512;
    };
    this.aeadId = switch (aead) {
      case AES_128_GCM -> HPKE.aead_AES_GCM128;
      case AES_256_GCM -> HPKE.aead_AES_GCM256;
      case CHACHA20_POLY1305 -> HPKE.aead_CHACHA20_POLY1305;
    };
    this.random = random;
    short kdfCode = this.kdfId;
    short aeadCode = this.aeadId;
    this.perThread = ThreadLocal.withInitial(() -> new HPKE(HPKE.mode_base, kem.id, kdfCode, aeadCode));
    this.xdh = kem.curve == null ? new XdhHpke(kem, kdfCode, kdf, aeadCode, aead) : null;
    if (kem.curve != null) {
      X9ECParameters x9 = CustomNamedCurves.getByName(kem.curve);
      this.domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    } else {
      this.domain = null;
    }
  }

  /**
   * Bouncy Castle's HPKE keeps a mutable DH agreement, so it cannot be shared between threads; it
   * is reused within one because building it for a NIST curve makes a new curve object, whose
   * fixed-point multiplication tables would otherwise be recomputed on every call.
   */
  private HPKE threadHpke() {
    return perThread.get();
  }

  HpkeKeyPair deriveKeyPair(byte[] ikm) {
    if (xdh != null) {
      return xdh.deriveKeyPair(ikm);
    }
    return toKeyPair(threadHpke().deriveKeyPair(ikm));
  }

  HpkeKeyPair generateKeyPair() {
    byte[] ikm = new byte[kem.privateKeyLength];
    random.nextBytes(ikm);
    return deriveKeyPair(ikm);
  }

  byte[] publicKey(byte[] privateKey) throws CryptoException {
    if (xdh != null) {
      return xdhPublicKey(checkedPrivateKey(privateKey)).clone(); // the cached array stays ours
    }
    return serializePublic(privateKeyPair(threadHpke(), privateKey).getPublic());
  }

  HpkeCiphertext seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext) throws CryptoException {
    if (xdh != null) {
      return sealAll(List.of(publicKey), List.of(plaintext), info, aad).get(0);
    }
    HPKEContextWithEncapsulation ctx = senderContext(publicKey, info);
    try {
      return new HpkeCiphertext(ctx.getEncapsulation(), ctx.seal(aad, plaintext));
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  /**
   * {@link #seal} of each plaintext to the public key at the same index, with one info and aad.
   * The ephemeral keys' input bytes are drawn from the injected source first, in input order (so
   * the result equals that of {@link #seal} called in order); the encryptions themselves, two
   * scalar multiplications each, then run on the common fork-join pool when there are at least
   * {@value #PARALLEL_THRESHOLD} of them. Each worker thread uses its own {@link HPKE}.
   *
   * @throws CryptoException for the first key, in input order, that cannot be used
   */
  List<HpkeCiphertext> sealAll(List<byte[]> publicKeys, List<byte[]> plaintexts, byte[] info,
      byte[] aad) throws CryptoException {
    int n = publicKeys.size();
    byte[][] ikms = new byte[n][kem.privateKeyLength];
    for (byte[] ikm : ikms) {
      random.nextBytes(ikm);
    }
    HpkeCiphertext[] out = new HpkeCiphertext[n];
    CryptoException[] failed = new CryptoException[n];
    XdhHpke.Context context = xdh == null ? null : xdh.context(info); // the same for every item
    IntConsumer one = i -> {
      try {
        out[i] = xdh != null
            ? xdh.seal(checkedXdhPublic(publicKeys.get(i)), ikms[i], context, aad, plaintexts.get(i))
            : seal(publicKeys.get(i), ikms[i], info, aad, plaintexts.get(i));
      } catch (CryptoException e) {
        failed[i] = e;
      } finally {
        Arrays.fill(ikms[i], (byte) 0);
      }
    };
    if (n >= PARALLEL_THRESHOLD) {
      IntStream.range(0, n).parallel().forEach(one);
    } else {
      IntStream.range(0, n).forEach(one);
    }
    for (CryptoException e : failed) {
      if (e != null) {
        throw e;
      }
    }
    return List.of(out);
  }

  private HpkeCiphertext seal(byte[] publicKey, byte[] ikm, byte[] info, byte[] aad,
      byte[] plaintext) throws CryptoException {
    HPKEContextWithEncapsulation ctx = senderContext(publicKey, ikm, info);
    try {
      return new HpkeCiphertext(ctx.getEncapsulation(), ctx.seal(aad, plaintext));
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  byte[] open(byte[] privateKey, byte[] info, byte[] aad, HpkeCiphertext ct) throws CryptoException {
    if (xdh != null) {
      byte[] sk = checkedPrivateKey(privateKey);
      return xdhOpen(sk, xdhPublicKey(sk), info, aad, ct);
    }
    return open(privateKeyPair(threadHpke(), privateKey), info, aad, ct);
  }

  /**
   * As {@link #open(byte[], byte[], byte[], HpkeCiphertext)} with the receiver's public key given
   * (so none is derived); a public key that does not belong to {@code privateKey} makes decryption
   * fail, since it enters the KEM context.
   */
  byte[] open(byte[] privateKey, byte[] publicKey, byte[] info, byte[] aad, HpkeCiphertext ct)
      throws CryptoException {
    if (xdh != null) {
      return xdhOpen(checkedPrivateKey(privateKey), checkedXdhPublic(publicKey), info, aad, ct);
    }
    return open(privateKeyPair(threadHpke(), privateKey, publicKey), info, aad, ct);
  }

  private byte[] xdhOpen(byte[] sk, byte[] pk, byte[] info, byte[] aad, HpkeCiphertext ct)
      throws CryptoException {
    checkedXdhPublic(ct.kemOutput());
    try {
      return xdh.open(sk, pk, xdh.context(info), aad, ct);
    } catch (CryptoException e) {
      throw new CryptoException("HPKE decryption failed");
    }
  }

  /** X25519/X448 public keys are any string of Npk bytes (RFC 7748 §5); the DH refuses bad ones. */
  private byte[] checkedXdhPublic(byte[] publicKey) throws CryptoException {
    if (publicKey.length != xdh.keyLength()) {
      throw new CryptoException("HPKE public key must be " + xdh.keyLength() + " bytes");
    }
    return publicKey;
  }

  /** pk(sk) for X25519/X448 through the cache of {@link #publicKeys}. */
  private byte[] xdhPublicKey(byte[] sk) {
    KeyId id = KeyId.of(sk);
    byte[] cached = publicKeys.get(id);
    if (cached != null) {
      return cached;
    }
    byte[] pk = xdh.publicKey(sk);
    cachePublicKey(id, pk);
    return pk;
  }

  private void cachePublicKey(KeyId id, byte[] pk) {
    publicKeyDerivations.incrementAndGet();
    if (publicKeys.size() >= MAX_CACHED_PUBLIC_KEYS) {
      publicKeys.clear(); // re-deriving is only a cost
    }
    publicKeys.put(id, pk);
  }

  private byte[] open(AsymmetricCipherKeyPair kp, byte[] info, byte[] aad, HpkeCiphertext ct)
      throws CryptoException {
    HPKEContext ctx = receiverContext(kp, ct.kemOutput(), info);
    try {
      return ctx.open(aad, ct.ciphertext());
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new CryptoException("HPKE decryption failed");
    }
  }

  HpkeExport exportSender(byte[] publicKey, byte[] info, byte[] exporterContext, int length)
      throws CryptoException {
    if (xdh != null) {
      byte[] ikm = new byte[kem.privateKeyLength];
      random.nextBytes(ikm);
      try {
        return xdh.exportSender(checkedXdhPublic(publicKey), ikm, xdh.context(info),
            exporterContext, length);
      } finally {
        Arrays.fill(ikm, (byte) 0);
      }
    }
    HPKEContextWithEncapsulation ctx = senderContext(publicKey, info);
    return new HpkeExport(ctx.getEncapsulation(), ctx.export(exporterContext, length));
  }

  byte[] exportReceiver(byte[] privateKey, byte[] kemOutput, byte[] info, byte[] exporterContext,
      int length) throws CryptoException {
    if (xdh != null) {
      byte[] sk = checkedPrivateKey(privateKey);
      try {
        return xdh.exportReceiver(sk, xdhPublicKey(sk), checkedXdhPublic(kemOutput),
            xdh.context(info), exporterContext, length);
      } catch (CryptoException e) {
        throw new CryptoException("HPKE decapsulation failed", e);
      }
    }
    return receiverContext(privateKeyPair(threadHpke(), privateKey), kemOutput, info)
        .export(exporterContext, length);
  }

  private HPKEContextWithEncapsulation senderContext(byte[] publicKey, byte[] info) throws CryptoException {
    byte[] ikm = new byte[kem.privateKeyLength];
    random.nextBytes(ikm);
    try {
      return senderContext(publicKey, ikm, info);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** Sender setup with the ephemeral key derived from {@code ikm} (RFC 9180 §7.1.3). */
  private HPKEContextWithEncapsulation senderContext(byte[] publicKey, byte[] ikm, byte[] info)
      throws CryptoException {
    HPKE hpke = threadHpke();
    AsymmetricKeyParameter pkR = parsePublic(hpke, publicKey);
    AsymmetricCipherKeyPair ephemeral = hpke.deriveKeyPair(ikm);
    try {
      return hpke.setupBaseS(pkR, info, ephemeral);
    } catch (RuntimeException e) {
      // e.g. an X25519 public key of small order gives an all-zero shared secret
      throw new CryptoException("HPKE encapsulation failed", e);
    }
  }

  private HPKEContext receiverContext(AsymmetricCipherKeyPair kp, byte[] kemOutput, byte[] info)
      throws CryptoException {
    HPKE hpke = threadHpke();
    parsePublic(hpke, kemOutput); // strict length/point checks before Bouncy Castle sees the bytes
    try {
      return hpke.setupBaseR(kemOutput, kp, info);
    } catch (RuntimeException e) {
      throw new CryptoException("HPKE decapsulation failed", e);
    }
  }

  /**
   * The key pair of an encoded private key. The range and point checks happen here; the objects
   * themselves come from the same {@link HPKE} so that their curve parameters match its KEM's.
   */
  private AsymmetricCipherKeyPair privateKeyPair(HPKE hpke, byte[] privateKey) throws CryptoException {
    byte[] sk = checkedPrivateKey(privateKey);
    KeyId id = KeyId.of(sk);
    byte[] cached = publicKeys.get(id);
    if (cached != null) {
      return deserialize(hpke, sk, cached);
    }
    AsymmetricCipherKeyPair kp = deserialize(hpke, sk, null);
    cachePublicKey(id, serializePublic(kp.getPublic()));
    return kp;
  }

  /** The key pair of a private key and its given (checked, not derived) public key. */
  private AsymmetricCipherKeyPair privateKeyPair(HPKE hpke, byte[] privateKey, byte[] publicKey)
      throws CryptoException {
    byte[] sk = checkedPrivateKey(privateKey);
    parsePublic(hpke, publicKey);
    return deserialize(hpke, sk, publicKey);
  }

  private static AsymmetricCipherKeyPair deserialize(HPKE hpke, byte[] sk, byte[] pk)
      throws CryptoException {
    try {
      return hpke.deserializePrivateKey(sk, pk);
    } catch (RuntimeException e) {
      throw new CryptoException("malformed HPKE private key", e);
    }
  }

  long publicKeyDerivations() {
    return publicKeyDerivations.get();
  }

  /** The private key in its fixed-width encoding, after the length and range checks. */
  private byte[] checkedPrivateKey(byte[] privateKey) throws CryptoException {
    if (domain != null) {
      // NIST curves: a big-endian scalar, possibly without its leading zero bytes (as for
      // signature keys); never longer than Nsk.
      if (privateKey.length > kem.privateKeyLength) {
        throw new CryptoException("HPKE private key longer than " + kem.privateKeyLength + " bytes");
      }
      BigInteger d = new BigInteger(1, privateKey);
      if (d.signum() == 0 || d.compareTo(domain.getN()) >= 0) {
        throw new CryptoException("HPKE private key out of range");
      }
      return BigIntegers.asUnsignedByteArray(kem.privateKeyLength, d);
    } else if (privateKey.length != kem.privateKeyLength) {
      throw new CryptoException("HPKE private key must be " + kem.privateKeyLength + " bytes");
    }
    return privateKey;
  }

  private AsymmetricKeyParameter parsePublic(HPKE hpke, byte[] publicKey) throws CryptoException {
    int expected = switch (kem) {
      case X25519 -> X25519PublicKeyParameters.KEY_SIZE;
      case X448 -> X448PublicKeyParameters.KEY_SIZE;
      default -> 1 + 2 * kem.privateKeyLength;
    };
    if (publicKey.length != expected) {
      throw new CryptoException("HPKE public key must be " + expected + " bytes");
    }
    if (domain != null) {
      if (publicKey[0] != 0x04) {
        throw new CryptoException("EC public key must be an uncompressed point");
      }
      try {
        ECPoint q = domain.getCurve().decodePoint(publicKey);
        if (q.isInfinity() || !q.isValid()) {
          throw new CryptoException("EC public key is not a valid point");
        }
      } catch (IllegalArgumentException e) {
        throw new CryptoException("EC public key is not a valid point", e);
      }
    }
    try {
      return hpke.deserializePublicKey(publicKey);
    } catch (RuntimeException e) {
      throw new CryptoException("malformed HPKE public key", e);
    }
  }

  private byte[] serializePublic(AsymmetricKeyParameter pk) {
    if (pk instanceof X25519PublicKeyParameters x) {
      return x.getEncoded();
    } else if (pk instanceof X448PublicKeyParameters x) {
      return x.getEncoded();
    }
    return ((ECPublicKeyParameters) pk).getQ().getEncoded(false);
  }

  private HpkeKeyPair toKeyPair(AsymmetricCipherKeyPair kp) {
    AsymmetricKeyParameter sk = kp.getPrivate();
    byte[] priv;
    if (sk instanceof X25519PrivateKeyParameters x) {
      priv = x.getEncoded();
    } else if (sk instanceof X448PrivateKeyParameters x) {
      priv = x.getEncoded();
    } else {
      priv = BigIntegers.asUnsignedByteArray(kem.privateKeyLength, ((ECPrivateKeyParameters) sk).getD());
    }
    return new HpkeKeyPair(priv, serializePublic(kp.getPublic()));
  }
}
