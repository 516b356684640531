package org.quicproquo.mls.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * {@link CipherSuite} on Bouncy Castle's lightweight API (AES-GCM excepted, see
 * {@link AeadCipher.AesGcmJdk}). Thread-safe: the per-suite parts (curve parameters, algorithm
 * choices, key caches, per-thread AES-GCM objects) are built once, stateful cipher objects per call.
 */
final class BcCipherSuite implements CipherSuite {
  /** The prefix RFC 9420 puts before every KDF, signature and encryption label (§5.1.2, §5.1.3, §8). */
  static final String LABEL_PREFIX = "MLS 1.0 ";

  private static final byte[] EMPTY = new byte[0];

  private final CipherSuiteId id;
  private final HashKdf kdf;
  private final AeadAlgorithm aead;
  private final AeadCipher aeadCipher;
  private final SignatureScheme signature;
  private final HpkeScheme hpke;
  private final SecureRandom random;

  BcCipherSuite(CipherSuiteId id, HashKdf kdf, AeadAlgorithm aead, SignatureScheme signature,
      HpkeScheme.Kem kem, SecureRandom random) {
    this.id = id;
    this.kdf = kdf;
    this.aead = aead;
    this.aeadCipher = aead.newCipher();
    this.signature = signature;
    this.hpke = new HpkeScheme(kem, kdf, aead, random);
    this.random = random;
  }

  @Override
  public CipherSuiteId id() {
    return id;
  }

  @Override
  public int hashLength() {
    return kdf.length();
  }

  @Override
  public int aeadKeyLength() {
    return aead.keyLength();
  }

  @Override
  public int aeadNonceLength() {
    return AeadAlgorithm.NONCE_LENGTH;
  }

  @Override
  public byte[] hash(byte[] data) {
    return kdf.hash(data);
  }

  @Override
  public byte[] mac(byte[] key, byte[] data) {
    return kdf.mac(key, data);
  }

  @Override
  public byte[] extract(byte[] salt, byte[] ikm) {
    return kdf.extract(salt, ikm);
  }

  @Override
  public byte[] expand(byte[] prk, byte[] info, int length) {
    return kdf.expand(prk, info, length);
  }

  private static byte[] prefixed(String label) {
    return (LABEL_PREFIX + label).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * <pre>
   * struct {
   *   uint16 length;
   *   opaque label&lt;V&gt;;
   *   opaque context&lt;V&gt;;
   * } KDFLabel;
   * </pre>
   */
  @Override
  public byte[] expandWithLabel(byte[] secret, String label, byte[] context, int length) {
    if (length < 0 || length > 0xffff) {
      throw new IllegalArgumentException("ExpandWithLabel length out of range: " + length);
    }
    byte[] l = prefixed(label);
    byte[] info = new TlsWriter(l.length + context.length + 12)
        .u16(length).opaque(l).opaque(context).toByteArray();
    return kdf.expand(secret, info, length);
  }

  @Override
  public byte[] deriveSecret(byte[] secret, String label) {
    return expandWithLabel(secret, label, EMPTY, kdf.length());
  }

  @Override
  public byte[] deriveTreeSecret(byte[] secret, String label, long generation, int length) {
    if (generation < 0 || generation > 0xffff_ffffL) {
      throw new IllegalArgumentException("generation out of uint32 range: " + generation);
    }
    byte[] ctx = {(byte) (generation >>> 24), (byte) (generation >>> 16), (byte) (generation >>> 8),
        (byte) generation};
    return expandWithLabel(secret, label, ctx, length);
  }

  /** Hash of {@code struct { opaque label<V>; opaque value<V>; } RefHashInput;} (label as given). */
  @Override
  public byte[] refHash(String label, byte[] value) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    return kdf.hash(new TlsWriter(l.length + value.length + 8).opaque(l).opaque(value).toByteArray());
  }

  @Override
  public byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    return aeadCipher.seal(key, nonce, aad, plaintext);
  }

  @Override
  public byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException {
    if (key.length != aead.keyLength() || nonce.length != AeadAlgorithm.NONCE_LENGTH) {
      throw new CryptoException("AEAD key or nonce of the wrong length");
    }
    return aeadCipher.open(key, nonce, aad, ciphertext);
  }

  @Override
  public SignatureKeyPair generateSignatureKeyPair() {
    return signature.generate(random);
  }

  @Override
  public byte[] signaturePublicKey(byte[] privateKey) throws CryptoException {
    return signature.publicKey(privateKey);
  }

  /** {@code struct { opaque label<V>; opaque content<V>; } SignContent;} with the prefixed label. */
  private static byte[] signContent(String label, byte[] content) {
    byte[] l = prefixed(label);
    // Sized exactly: the content can be a commit of megabytes.
    return new TlsWriter(TlsWriter.varintLength(l.length) + l.length
        + TlsWriter.varintLength(content.length) + content.length).opaque(l).opaque(content)
        .finish();
  }

  @Override
  public byte[] signWithLabel(byte[] privateKey, String label, byte[] content) throws CryptoException {
    return signature.sign(privateKey, signContent(label, content));
  }

  @Override
  public boolean verifyWithLabel(byte[] publicKey, String label, byte[] content, byte[] sig) {
    return signature.verify(publicKey, signContent(label, content), sig);
  }

  @Override
  public HpkeKeyPair deriveHpkeKeyPair(byte[] ikm) {
    return hpke.deriveKeyPair(ikm);
  }

  @Override
  public HpkeKeyPair generateHpkeKeyPair() {
    return hpke.generateKeyPair();
  }

  @Override
  public byte[] hpkePublicKey(byte[] privateKey) throws CryptoException {
    return hpke.publicKey(privateKey);
  }

  /** {@code struct { opaque label<V>; opaque context<V>; } EncryptContext;} with the prefixed label. */
  private static byte[] encryptContext(String label, byte[] context) {
    return signContent(label, context);
  }

  @Override
  public HpkeCiphertext encryptWithLabel(byte[] publicKey, String label, byte[] context, byte[] plaintext)
      throws CryptoException {
    return hpke.seal(publicKey, encryptContext(label, context), EMPTY, plaintext);
  }

  @Override
  public List<HpkeCiphertext> encryptWithLabel(List<byte[]> publicKeys, List<byte[]> plaintexts,
      String label, byte[] context) throws CryptoException {
    if (publicKeys.size() != plaintexts.size()) {
      throw new IllegalArgumentException(publicKeys.size() + " keys for " + plaintexts.size()
          + " plaintexts");
    }
    return hpke.sealAll(publicKeys, plaintexts, encryptContext(label, context), EMPTY);
  }

  @Override
  public byte[] decryptWithLabel(byte[] privateKey, String label, byte[] context, HpkeCiphertext ct)
      throws CryptoException {
    return hpke.open(privateKey, encryptContext(label, context), EMPTY, ct);
  }

  @Override
  public byte[] decryptWithLabel(byte[] privateKey, byte[] publicKey, String label, byte[] context,
      HpkeCiphertext ct) throws CryptoException {
    return hpke.open(privateKey, publicKey, encryptContext(label, context), EMPTY, ct);
  }

  @Override
  public HpkeExport hpkeExportSender(byte[] publicKey, byte[] info, byte[] exporterContext, int length)
      throws CryptoException {
    return hpke.exportSender(publicKey, info, exporterContext, length);
  }

  @Override
  public byte[] hpkeExportReceiver(byte[] privateKey, byte[] kemOutput, byte[] info,
      byte[] exporterContext, int length) throws CryptoException {
    return hpke.exportReceiver(privateKey, kemOutput, info, exporterContext, length);
  }

  @Override
  public byte[] randomBytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  @Override
  public String toString() {
    return "CipherSuite[" + id + "]";
  }
}
