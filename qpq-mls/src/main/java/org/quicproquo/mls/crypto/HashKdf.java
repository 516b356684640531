package org.quicproquo.mls.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The hash of a cipher suite with HMAC and HKDF (RFC 5869) on top. Bouncy Castle digests are
 * stateful, so every call creates its own (construction is a few field writes); the enum itself is
 * immutable and thread-safe.
 */
enum HashKdf {
  SHA256(32),
  SHA384(48),
  SHA512(64);

  private final int length;

  HashKdf(int length) {
    this.length = length;
  }

  int length() {
    return length;
  }

  Digest newDigest() {
    return switch (this) {
      case SHA256 -> new SHA256Digest();
      case SHA384 -> new SHA384Digest();
      case SHA512 -> new SHA512Digest();
    };
  }

  byte[] hash(byte[] data) {
    Digest d = newDigest();
    d.update(data, 0, data.length);
    byte[] out = new byte[length];
    d.doFinal(out, 0);
    return out;
  }

  byte[] mac(byte[] key, byte[] data) {
    HMac h = new HMac(newDigest());
    h.init(new KeyParameter(key));
    h.update(data, 0, data.length);
    byte[] out = new byte[length];
    h.doFinal(out, 0);
    return out;
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
    HMac h = new HMac(newDigest());
    h.init(new KeyParameter(prk));
    byte[] out = new byte[outLength];
    byte[] t = new byte[length];
    int done = 0;
    for (int i = 1; done < outLength; i++) {
      if (i > 1) {
        h.update(t, 0, length);
      }
      h.update(info, 0, info.length);
      h.update((byte) i);
      h.doFinal(t, 0);
      int n = Math.min(length, outLength - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    java.util.Arrays.fill(t, (byte) 0);
    return out;
  }
}
