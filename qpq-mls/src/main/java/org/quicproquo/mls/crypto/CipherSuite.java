package org.quicproquo.mls.crypto;

/**
 * The cryptographic operations of one RFC 9420 cipher suite (§5.1, §5.1.3, §5.2, §8). Implementations
 * are immutable and thread-safe; randomness comes from the {@link java.security.SecureRandom} they
 * were created with. Key encodings follow the RFC 9420 test vectors: Ed25519/Ed448 and X25519/X448
 * keys are the raw RFC 8032/7748 byte strings; ECDSA/ECDH private keys are the big-endian scalar of
 * the curve's field size, public keys the uncompressed SEC1 point.
 *
 * <p>Obtain instances from {@link CipherSuites}.
 */
public interface CipherSuite {
  CipherSuiteId id();

  /** Nh: output length of the hash (and KDF). */
  int hashLength();

  /** Nk: AEAD key length. */
  int aeadKeyLength();

  /** Nn: AEAD nonce length. */
  int aeadNonceLength();

  byte[] hash(byte[] data);

  byte[] mac(byte[] key, byte[] data);

  byte[] extract(byte[] salt, byte[] ikm);

  byte[] expand(byte[] prk, byte[] info, int length);

  /** ExpandWithLabel (§8): label gets the "MLS 1.0 " prefix. */
  byte[] expandWithLabel(byte[] secret, String label, byte[] context, int length);

  /** DeriveSecret(secret, label) = ExpandWithLabel(secret, label, "", Nh). */
  byte[] deriveSecret(byte[] secret, String label);

  /** DeriveTreeSecret (§9): ExpandWithLabel(secret, label, uint32 generation, length). */
  byte[] deriveTreeSecret(byte[] secret, String label, long generation, int length);

  /** RefHash (§5.2): Hash of the RefHashInput struct {label, value}. */
  byte[] refHash(String label, byte[] value);

  /** AEAD seal; output is ciphertext || tag. */
  byte[] aeadSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext);

  /** AEAD open; throws if the tag does not verify. */
  byte[] aeadOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException;

  /** A fresh signature key pair. */
  SignatureKeyPair generateSignatureKeyPair();

  /** The public key belonging to a signature private key. */
  byte[] signaturePublicKey(byte[] privateKey) throws CryptoException;

  /** SignWithLabel (§5.1.2): signs the SignContent struct {"MLS 1.0 " + label, content}. */
  byte[] signWithLabel(byte[] privateKey, String label, byte[] content) throws CryptoException;

  /** VerifyWithLabel (§5.1.2); false on a bad signature or an unparseable key. */
  boolean verifyWithLabel(byte[] publicKey, String label, byte[] content, byte[] signature);

  /** HPKE DeriveKeyPair(ikm) (RFC 9180 §7.1.3). */
  HpkeKeyPair deriveHpkeKeyPair(byte[] ikm);

  /** A fresh HPKE key pair. */
  HpkeKeyPair generateHpkeKeyPair();

  /** The HPKE public key belonging to a private key. */
  byte[] hpkePublicKey(byte[] privateKey) throws CryptoException;

  /** EncryptWithLabel (§5.1.3): HPKE base-mode SealBase with info = EncryptContext{label, context}. */
  HpkeCiphertext encryptWithLabel(byte[] publicKey, String label, byte[] context, byte[] plaintext)
      throws CryptoException;

  /**
   * EncryptWithLabel (§5.1.3) of {@code plaintexts.get(i)} to {@code publicKeys.get(i)} for every
   * {@code i}, all with the same label and context, as a committer encrypts its path secrets to
   * the resolution of each copath node (§7.6). The result is in input order. Implementations may
   * encrypt in parallel, but draw their randomness in input order, so a seeded source gives the
   * same ciphertexts as the same calls one by one. The default makes the calls one by one.
   *
   * @throws CryptoException for the first (in input order) public key that cannot be used
   * @throws IllegalArgumentException if the two lists differ in size
   */
  default java.util.List<HpkeCiphertext> encryptWithLabel(java.util.List<byte[]> publicKeys,
      java.util.List<byte[]> plaintexts, String label, byte[] context) throws CryptoException {
    if (publicKeys.size() != plaintexts.size()) {
      throw new IllegalArgumentException(publicKeys.size() + " keys for " + plaintexts.size()
          + " plaintexts");
    }
    java.util.List<HpkeCiphertext> out = new java.util.ArrayList<>(publicKeys.size());
    for (int i = 0; i < publicKeys.size(); i++) {
      out.add(encryptWithLabel(publicKeys.get(i), label, context, plaintexts.get(i)));
    }
    return out;
  }

  /** DecryptWithLabel (§5.1.3). */
  byte[] decryptWithLabel(byte[] privateKey, String label, byte[] context, HpkeCiphertext ct)
      throws CryptoException;

  /**
   * DecryptWithLabel (§5.1.3) with the receiver's public key supplied by the caller (e.g. from the
   * ratchet tree or the KeyPackage), so that it need not be derived from the private key. A public
   * key that does not belong to {@code privateKey} makes decryption fail (it is part of the HPKE
   * KEM context). The default derives nothing new: it ignores {@code publicKey}.
   */
  default byte[] decryptWithLabel(byte[] privateKey, byte[] publicKey, String label, byte[] context,
      HpkeCiphertext ct) throws CryptoException {
    return decryptWithLabel(privateKey, label, context, ct);
  }

  /**
   * HPKE base-mode sender setup followed by an export (RFC 9180 §5.3), as external commits use it
   * (§8.3): returns the KEM output and the exported secret.
   */
  HpkeExport hpkeExportSender(byte[] publicKey, byte[] info, byte[] exporterContext, int length)
      throws CryptoException;

  /** Receiver side of {@link #hpkeExportSender}. */
  byte[] hpkeExportReceiver(byte[] privateKey, byte[] kemOutput, byte[] info, byte[] exporterContext,
      int length) throws CryptoException;

  /** {@code n} bytes from the suite's random source. */
  byte[] randomBytes(int n);
}
