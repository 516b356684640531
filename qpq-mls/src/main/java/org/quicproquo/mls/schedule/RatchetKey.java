package org.quicproquo.mls.schedule;

import java.util.Arrays;

/**
 * The AEAD key and nonce of one generation of a secret-tree ratchet (§9.1):
 * {@code ratchet_key_[i]_[j]} and {@code ratchet_nonce_[i]_[j]} for {@code j = generation}. The
 * nonce is the ratchet's; framing XORs the reuse guard into it (§6.3.1).
 */
public record RatchetKey(long generation, byte[] key, byte[] nonce) {
  public RatchetKey {
    if (generation < 0 || generation > 0xffff_ffffL) {
      throw new IllegalArgumentException("generation out of uint32 range: " + generation);
    }
    key = key.clone();
    nonce = nonce.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  /** Overwrites the key material (best effort; copies handed out earlier are the caller's). */
  void wipe() {
    Arrays.fill(key, (byte) 0);
    Arrays.fill(nonce, (byte) 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RatchetKey k && k.generation == generation && Arrays.equals(k.key, key)
        && Arrays.equals(k.nonce, nonce);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(generation);
  }

  @Override
  public String toString() {
    return "RatchetKey[generation=" + generation + ", key=<redacted>]";
  }
}
