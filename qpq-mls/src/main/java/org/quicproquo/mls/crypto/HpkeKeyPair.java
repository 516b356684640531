package org.quicproquo.mls.crypto;

import java.util.Arrays;

/** An HPKE key pair in the encodings described on {@link CipherSuite}. */
public record HpkeKeyPair(byte[] privateKey, byte[] publicKey) {
  public HpkeKeyPair {
    privateKey = privateKey.clone();
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeKeyPair k && Arrays.equals(privateKey, k.privateKey)
        && Arrays.equals(publicKey, k.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "HpkeKeyPair[private=<redacted>]";
  }
}
