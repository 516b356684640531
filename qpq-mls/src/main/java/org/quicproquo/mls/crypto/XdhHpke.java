package org.quicproquo.mls.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X448;

/**
 * RFC 9180 HPKE in base mode for DHKEM(X25519, HKDF-SHA256) and DHKEM(X448, HKDF-SHA512), the
 * KEMs of MLS cipher suites 1, 3, 4 and 6.
 *
 * <p>Why not Bouncy Castle's {@code HPKE} here: a commit into a tree with blank parents encrypts
 * its path secrets to every member (RFC 9420 §7.6), about a thousand HPKE encryptions at 1,000
 * members, and BC's HPKE spent a quarter of each one outside the two X25519 multiplications, in
 * its pure-Java HKDF and table-driven GCM set-up. This class keeps Bouncy Castle for the curve
 * arithmetic ({@link X25519}, {@link X448}) and runs the key schedule on {@link HashKdf} (JCA HMAC)
 * and the suite's {@link AeadCipher} (JCA AES-GCM). The key schedule context depends only on
 * {@code info}, so a batch of encryptions with one info computes it once ({@link #context}).
 * {@code HpkeSchemeTest} checks both directions against Bouncy Castle's HPKE; the MLS test
 * vectors check decryption and DeriveKeyPair against other implementations.
 *
 * <p>Thread-safe: no mutable state (HashKdf and AeadCipher keep per-thread JCA objects).
 */
final class XdhHpke {
  private static final byte[] VERSION = "HPKE-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];

  private final HpkeScheme.Kem kem;
  private final HashKdf kdf;
  private final AeadCipher aead;
  private final int keyLength;
  /** "KEM" || I2OSP(kem_id, 2) (RFC 9180 §4.1). */
  private final byte[] kemSuiteId;
  /** "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2) (§5.1). */
  private final byte[] hpkeSuiteId;
  /** psk_id_hash of base mode (empty psk_id), the same for every setup. */
  private final byte[] pskIdHash;

  /** A key schedule context (§5.1) for one info string. */
  record Context(byte[] keyScheduleContext) {}

  /**
   * @param kdf the suite's KDF, which for these KEMs is also the KEM's (HKDF-SHA256 for X25519,
   *     HKDF-SHA512 for X448); another pairing is rejected
   */
  XdhHpke(HpkeScheme.Kem kem, short kdfId, HashKdf kdf, short aeadId, AeadAlgorithm aead) {
    HashKdf kemKdf = switch (kem) {
      case X25519 -> HashKdf.SHA256;
      case X448 -> HashKdf.SHA512;
      default -> throw new IllegalArgumentException("not a Montgomery-curve KEM: " + kem);
    };
    if (kdf != kemKdf) {
      throw new IllegalArgumentException(kem + " with " + kdf + " is not an MLS cipher suite");
    }
    this.kem = kem;
    this.kdf = kdf;
    this.aead = aead.newCipher();
    this.keyLength = aead.keyLength();
    this.kemSuiteId = new byte[] {'K', 'E', 'M', (byte) (kem.id >> 8), (byte) kem.id};
    this.hpkeSuiteId = new byte[] {'H', 'P', 'K', 'E', (byte) (kem.id >> 8), (byte) kem.id,
        (byte) (kdfId >> 8), (byte) kdfId, (byte) (aeadId >> 8), (byte) aeadId};
    this.pskIdHash = labeledExtract(hpkeSuiteId, EMPTY, "psk_id_hash", EMPTY);
  }

  /** Npk = Nsk = Ndh: 32 for X25519, 56 for X448. */
  int keyLength() {
    return kem.privateKeyLength;
  }

  /** DeriveKeyPair (§7.1.3): the private key and its public key. */
  HpkeKeyPair deriveKeyPair(byte[] ikm) {
    byte[] sk = derivePrivateKey(ikm);
    try {
      return new HpkeKeyPair(sk, publicKey(sk));
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
  }

  private byte[] derivePrivateKey(byte[] ikm) {
    byte[] dkpPrk = labeledExtract(kemSuiteId, EMPTY, "dkp_prk", ikm);
    try {
      return labeledExpand(kemSuiteId, dkpPrk, "sk", EMPTY, kem.privateKeyLength);
    } finally {
      Arrays.fill(dkpPrk, (byte) 0);
    }
  }

  /** pk(sk): the scalar multiplication of the base point (the key is clamped by it). */
  byte[] publicKey(byte[] sk) {
    byte[] pk = new byte[kem.privateKeyLength];
    if (kem == HpkeScheme.Kem.X25519) {
      X25519.scalarMultBase(sk, 0, pk, 0);
    } else {
      X448.scalarMultBase(sk, 0, pk, 0);
    }
    return pk;
  }

  /** The key schedule context of base mode for {@code info} (§5.1). */
  Context context(byte[] info) {
    byte[] infoHash = labeledExtract(hpkeSuiteId, EMPTY, "info_hash", info);
    byte[] ksc = new byte[1 + pskIdHash.length + infoHash.length];
    ksc[0] = 0x00; // mode_base
    System.arraycopy(pskIdHash, 0, ksc, 1, pskIdHash.length);
    System.arraycopy(infoHash, 0, ksc, 1 + pskIdHash.length, infoHash.length);
    return new Context(ksc);
  }

  /**
   * SealBase with the ephemeral key pair DeriveKeyPair({@code ikm}) (single-shot, sequence 0).
   *
   * @throws CryptoException if {@code pkR} gives the all-zero shared secret (a small-order point)
   */
  HpkeCiphertext seal(byte[] pkR, byte[] ikm, Context ctx, byte[] aad, byte[] plaintext)
      throws CryptoException {
    byte[][] keys = encap(pkR, ikm, ctx);
    try {
      return new HpkeCiphertext(keys[0], aead.seal(keys[1], keys[2], aad, plaintext));
    } finally {
      wipe(keys[1], keys[2], keys[3]);
    }
  }

  /** OpenBase (single-shot, sequence 0), with the receiver's key pair given. */
  byte[] open(byte[] skR, byte[] pkR, Context ctx, byte[] aad, HpkeCiphertext ct)
      throws CryptoException {
    byte[][] keys = decap(skR, pkR, ct.kemOutput(), ctx);
    try {
      return aead.open(keys[0], keys[1], aad, ct.ciphertext());
    } finally {
      wipe(keys[0], keys[1], keys[2]);
    }
  }

  /** SetupBaseS then Context.Export (§5.3): the encapsulation and the exported secret. */
  HpkeExport exportSender(byte[] pkR, byte[] ikm, Context ctx, byte[] exporterContext, int length)
      throws CryptoException {
    byte[][] keys = encap(pkR, ikm, ctx);
    try {
      return new HpkeExport(keys[0], export(keys[3], exporterContext, length));
    } finally {
      wipe(keys[1], keys[2], keys[3]);
    }
  }

  /** SetupBaseR then Context.Export (§5.3). */
  byte[] exportReceiver(byte[] skR, byte[] pkR, byte[] enc, Context ctx, byte[] exporterContext,
      int length) throws CryptoException {
    byte[][] keys = decap(skR, pkR, enc, ctx);
    try {
      return export(keys[2], exporterContext, length);
    } finally {
      wipe(keys[0], keys[1], keys[2]);
    }
  }

  /** {enc, key, base_nonce, exporter_secret}. */
  private byte[][] encap(byte[] pkR, byte[] ikm, Context ctx) throws CryptoException {
    byte[] skE = derivePrivateKey(ikm);
    byte[] enc = publicKey(skE);
    byte[] dh;
    try {
      dh = dh(skE, pkR);
    } finally {
      Arrays.fill(skE, (byte) 0);
    }
    byte[][] keys = keySchedule(extractAndExpand(dh, enc, pkR), ctx);
    return new byte[][] {enc, keys[0], keys[1], keys[2]};
  }

  /** {key, base_nonce, exporter_secret}. */
  private byte[][] decap(byte[] skR, byte[] pkR, byte[] enc, Context ctx) throws CryptoException {
    return keySchedule(extractAndExpand(dh(skR, enc), enc, pkR), ctx);
  }

  /** DH(sk, pk), refusing the all-zero output of a small-order point (§7.1.4). */
  private byte[] dh(byte[] sk, byte[] pk) throws CryptoException {
    byte[] out = new byte[kem.privateKeyLength];
    boolean ok = kem == HpkeScheme.Kem.X25519
        ? X25519.calculateAgreement(sk, 0, pk, 0, out, 0)
        : X448.calculateAgreement(sk, 0, pk, 0, out, 0);
    if (!ok) {
      throw new CryptoException("HPKE: the public key gives an all-zero shared secret");
    }
    return out;
  }

  /** ExtractAndExpand(dh, kem_context = enc || pkR) (§4.1); wipes {@code dh}. */
  private byte[] extractAndExpand(byte[] dh, byte[] enc, byte[] pkR) {
    byte[] kemContext = new byte[enc.length + pkR.length];
    System.arraycopy(enc, 0, kemContext, 0, enc.length);
    System.arraycopy(pkR, 0, kemContext, enc.length, pkR.length);
    byte[] eaePrk = labeledExtract(kemSuiteId, EMPTY, "eae_prk", dh);
    byte[] sharedSecret = labeledExpand(kemSuiteId, eaePrk, "shared_secret", kemContext,
        kdf.length()); // Nsecret = Nh of the KEM's KDF, which is this KDF
    wipe(dh, eaePrk);
    return sharedSecret;
  }

  /** KeySchedule for base mode (§5.1): {key, base_nonce, exporter_secret}; wipes the secret. */
  private byte[][] keySchedule(byte[] sharedSecret, Context ctx) {
    byte[] secret = labeledExtract(hpkeSuiteId, sharedSecret, "secret", EMPTY);
    byte[] ksc = ctx.keyScheduleContext();
    byte[] key = labeledExpand(hpkeSuiteId, secret, "key", ksc, keyLength);
    byte[] nonce = labeledExpand(hpkeSuiteId, secret, "base_nonce", ksc, AeadAlgorithm.NONCE_LENGTH);
    byte[] exporter = labeledExpand(hpkeSuiteId, secret, "exp", ksc, kdf.length());
    wipe(sharedSecret, secret);
    return new byte[][] {key, nonce, exporter};
  }

  private byte[] export(byte[] exporterSecret, byte[] exporterContext, int length)
      throws CryptoException {
    if (length < 0 || length > 255 * kdf.length()) {
      throw new CryptoException("HPKE export length out of range: " + length);
    }
    return labeledExpand(hpkeSuiteId, exporterSecret, "sec", exporterContext, length);
  }

  /** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  private byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] labeled = concat(VERSION, suiteId, l, ikm, 0);
    try {
      return kdf.extract(salt, labeled);
    } finally {
      Arrays.fill(labeled, (byte) 0);
    }
  }

  /**
   * LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id ||
   * label || info, L).
   */
  private byte[] labeledExpand(byte[] suiteId, byte[] prk, String label, byte[] info, int length) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] labeled = concat(VERSION, suiteId, l, info, 2);
    labeled[0] = (byte) (length >> 8);
    labeled[1] = (byte) length;
    return kdf.expand(prk, labeled, length);
  }

  /** {@code prefix} zero bytes, then a || b || c || d. */
  private static byte[] concat(byte[] a, byte[] b, byte[] c, byte[] d, int prefix) {
    byte[] out = new byte[prefix + a.length + b.length + c.length + d.length];
    int at = prefix;
    for (byte[] part : new byte[][] {a, b, c, d}) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  private static void wipe(byte[]... secrets) {
    for (byte[] s : secrets) {
      Arrays.fill(s, (byte) 0);
    }
  }
}
