package org.quicproquo.mls.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The AEADs of the MLS cipher suites (RFC 5116 AES-GCM, RFC 8439 ChaCha20-Poly1305), all with a
 * 16-byte tag and a 12-byte nonce. A cipher object is created per call because Bouncy Castle's are
 * stateful; the enum is thread-safe.
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

  private AEADCipher newCipher(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
    if (key.length != keyLength) {
      throw new IllegalArgumentException("AEAD key must be " + keyLength + " bytes");
    }
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("AEAD nonce must be " + NONCE_LENGTH + " bytes");
    }
    AEADCipher c = this == CHACHA20_POLY1305
        ? new ChaCha20Poly1305()
        : GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
    return c;
  }

  byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    AEADCipher c = newCipher(true, key, nonce, aad);
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD encryption failed", e);
    }
    return out;
  }

  byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) throws CryptoException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new CryptoException("AEAD ciphertext shorter than its tag");
    }
    AEADCipher c = newCipher(false, key, nonce, aad);
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    try {
      int n = c.processBytes(ciphertext, 0, ciphertext.length, out, 0);
      c.doFinal(out, n);
    } catch (InvalidCipherTextException | RuntimeException e) {
      java.util.Arrays.fill(out, (byte) 0);
      throw new CryptoException("AEAD authentication failed");
    }
    return out;
  }
}
