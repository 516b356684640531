package org.quicproquo.mls.framing;

import java.util.Arrays;

/** A content key and nonce of one generation of a sender's secret-tree ratchet (§9.1). */
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
    return "RatchetKey[generation=" + generation + ", <redacted>]";
  }
}
