package org.quicproquo.client.messenger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encrypts secret local state (MLS group states, KeyPackage private keys) at rest with AES-256-GCM.
 * The key is derived from the device private key (HKDF-SHA256, info "qpq/local-state/v1"), so the
 * database is exactly as protected as the key file: locked by the passphrase when there is one.
 * The associated data binds each blob to what it is ({@code purpose}) and to its row key, so a
 * blob moved to another row does not open.
 *
 * <p>Layout: 12-byte random nonce || ciphertext || 16-byte tag.
 */
final class StateSeal {
  private static final int NONCE = 12;
  private final SecretKeySpec key;
  private final SecureRandom random;
  /** Reused between calls (setting up a Cipher costs more than sealing a small state). */
  private final Cipher cipher;

  StateSeal(byte[] devicePrivateKey, SecureRandom random) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(devicePrivateKey, null,
        "qpq/local-state/v1".getBytes(StandardCharsets.US_ASCII)));
    byte[] k = new byte[32];
    hkdf.generateBytes(k, 0, k.length);
    this.key = new SecretKeySpec(k, "AES");
    this.random = random;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  synchronized byte[] seal(String purpose, byte[] rowKey, byte[] plaintext) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher c = cipher;
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(purpose, rowKey));
      byte[] ct = c.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
      System.arraycopy(ct, 0, out, NONCE, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  synchronized byte[] open(String purpose, byte[] rowKey, byte[] sealed) {
    if (sealed == null || sealed.length < NONCE + 16) {
      throw new MessengerException("A stored " + purpose + " is truncated; the local database is damaged.");
    }
    try {
      Cipher c = cipher;
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
      c.updateAAD(aad(purpose, rowKey));
      return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new MessengerException("A stored " + purpose + " does not decrypt with this device's "
          + "key; the local database is damaged or belongs to another account.", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static byte[] aad(String purpose, byte[] rowKey) {
    byte[] p = purpose.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(p, p.length + 1 + rowKey.length);
    System.arraycopy(rowKey, 0, out, p.length + 1, rowKey.length);
    return out;
  }
}
