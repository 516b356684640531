package org.quicproquo.mls.crypto;

/**
 * The AEADs of the MLS cipher suites (RFC 5116 AES-GCM, RFC 8439 ChaCha20-Poly1305), all with a
 * 16-byte tag and a 12-byte nonce. This enum names the algorithm; {@link #newCipher()} gives the
 * per-suite implementation object.
 */
enum AeadAlgorithm {
  AES_128_GCM(16),
  AES_256_GCM(32),
  CHACHA20_POLY1305(32);

  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private final int keyLength;

  AeadAlgorithm(int keyLength) {
    this.keyLength = keyLength;
  }

  int keyLength() {
    return keyLength;
  }

  /** A new, thread-safe implementation of this AEAD (holds per-thread cipher objects). */
  AeadCipher newCipher() {
    return this == CHACHA20_POLY1305 ? new AeadCipher.ChaCha20Poly1305Bc() : new AeadCipher.AesGcmJdk(keyLength);
  }
}
