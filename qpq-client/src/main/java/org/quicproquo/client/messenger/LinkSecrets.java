package org.quicproquo.client.messenger;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.quicproquo.core.keystore.Argon2Params;

/**
 * What both devices derive from a link code (docs/wire.md "Devices and linking"):
 * {@code Argon2id(code, salt "qpq link code v1", params) -> 64 bytes}; the first 32 are the
 * mailbox's lookup id (the server sees it), the last 32 the ChaCha20-Poly1305 key that seals the
 * offer, request and reply (the server never sees it). Argon2id makes every guess of the 60-bit
 * code cost the server (or anyone holding the lookup id) a full memory-hard run.
 *
 * <p>Sealed layout: 12-byte random nonce || ciphertext || 16-byte tag; the associated data is the
 * message's label and the lookup id, so nothing moves between messages or links.
 */
final class LinkSecrets {
  static final byte[] SALT = "qpq link code v1".getBytes(StandardCharsets.US_ASCII);
  static final String OFFER = "qpq link offer v1";
  static final String REQUEST = "qpq link request v1";
  static final String REPLY = "qpq link reply v1";
  static final String REFUSAL = "qpq link refusal v1";
  private static final int NONCE = 12;
  private static final int TAG = 16;

  private final byte[] lookupId;
  private final SecretKeySpec key;

  private LinkSecrets(byte[] lookupId, byte[] key) {
    this.lookupId = lookupId;
    this.key = new SecretKeySpec(key, "ChaCha20");
  }

  /** Runs Argon2id over the code (about as costly as unlocking a passphrase-locked key file). */
  static LinkSecrets derive(LinkCode code, Argon2Params params) {
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(SALT)
        .withMemoryAsKB(params.memoryKiB())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .build());
    byte[] out = new byte[64];
    g.generateBytes(code.value().getBytes(StandardCharsets.US_ASCII), out);
    byte[] id = Arrays.copyOf(out, 32);
    byte[] k = Arrays.copyOfRange(out, 32, 64);
    Arrays.fill(out, (byte) 0);
    return new LinkSecrets(id, k);
  }

  /** The mailbox id the server knows the link by. */
  byte[] lookupId() {
    return lookupId.clone();
  }

  byte[] seal(String label, byte[] plaintext, SecureRandom random) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
      c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      c.updateAAD(aad(label));
      byte[] ct = c.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
      System.arraycopy(ct, 0, out, NONCE, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
    }
  }

  /**
   * Opens a sealed message.
   *
   * @throws DeviceLinkException (TAMPERED) if it does not open under this code's key
   */
  byte[] open(String label, byte[] sealed) {
    if (sealed == null || sealed.length < NONCE + TAG) {
      throw tampered(null);
    }
    try {
      Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
      c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(sealed, 0, NONCE));
      c.updateAAD(aad(label));
      return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    } catch (javax.crypto.AEADBadTagException e) {
      throw tampered(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
    }
  }

  private byte[] aad(String label) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(l, l.length + 1 + lookupId.length);
    System.arraycopy(lookupId, 0, out, l.length + 1, lookupId.length);
    return out;
  }

  static DeviceLinkException tampered(Throwable cause) {
    return new DeviceLinkException(DeviceLinkException.Reason.TAMPERED,
        "The link exchange did not decrypt or verify: it was tampered with (or the code was "
            + "mistyped on one side). Nothing was linked; make a new code.", cause);
  }
}
