package org.quicproquo.mls.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The hash of a cipher suite with HMAC and HKDF (RFC 5869) on top. Hash and HMAC run on the JDK's
 * providers (SUN/SunJCE), whose SHA-2 uses CPU intrinsics and is several times faster than a
 * pure-Java digest on large inputs (transcript hashes and membership tags cover whole commits).
 * JCA instances are stateful and not thread-safe, so each thread keeps its own per hash; the enum
 * itself holds no shared mutable state and is thread-safe.
 */
enum HashKdf {
  SHA256(32, "SHA-256", "HmacSHA256"),
  SHA384(48, "SHA-384", "HmacSHA384"),
  SHA512(64, "SHA-512", "HmacSHA512");

  private final int length;
  private final String macAlgorithm;
  private final ThreadLocal<MessageDigest> digests;
  private final ThreadLocal<Mac> macs;

  HashKdf(int length, String digestAlgorithm, String macAlgorithm) {
    this.length = length;
    this.macAlgorithm = macAlgorithm;
    this.digests = ThreadLocal.withInitial(() -> {
      try {
        return MessageDigest.getInstance(digestAlgorithm);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("JDK lacks " + digestAlgorithm, e);
      }
    });
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        return Mac.getInstance(macAlgorithm);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("JDK lacks " + macAlgorithm, e);
      }
    });
  }

  int length() {
    return length;
  }

  /** A fresh Bouncy Castle digest, for callers that need BC's {@link Digest} interface (ECDSA k). */
  Digest newDigest() {
    return switch (this) {
      case SHA256 -> new SHA256Digest();
      case SHA384 -> new SHA384Digest();
      case SHA512 -> new SHA512Digest();
    };
  }

  byte[] hash(byte[] data) {
    // digest() resets the instance, so the thread's next call starts clean.
    return digests.get().digest(data);
  }

  byte[] mac(byte[] key, byte[] data) {
    Mac h = keyedMac(key);
    return h.doFinal(data);
  }

  /** HKDF-Extract; an empty salt means HashLen zero bytes (RFC 5869 §2.2), which HMAC pads to anyway. */
  byte[] extract(byte[] salt, byte[] ikm) {
    return mac(salt.length == 0 ? new byte[length] : salt, ikm);
  }

  /** HKDF-Expand (RFC 5869 §2.3). */
  byte[] expand(byte[] prk, byte[] info, int outLength) {
    if (outLength < 0 || outLength > 255 * length) {
      throw new IllegalArgumentException("HKDF-Expand length out of range: " + outLength);
    }
    Mac h = keyedMac(prk);
    byte[] out = new byte[outLength];
    byte[] t = new byte[length];
    int done = 0;
    try {
      for (int i = 1; done < outLength; i++) {
        if (i > 1) {
          h.update(t, 0, length);
        }
        h.update(info);
        h.update((byte) i);
        h.doFinal(t, 0);
        int n = Math.min(length, outLength - done);
        System.arraycopy(t, 0, out, done, n);
        done += n;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC output buffer too small", e);
    } finally {
      Arrays.fill(t, (byte) 0);
    }
    return out;
  }

  /**
   * The thread's Mac keyed with {@code key}. SecretKeySpec rejects an empty key, but HMAC defines
   * one (it is zero-padded to the block size), so an empty key becomes one zero byte: the padded
   * block, hence the MAC, is the same.
   */
  private Mac keyedMac(byte[] key) {
    Mac h = macs.get();
    try {
      h.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macAlgorithm));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    return h;
  }
}
