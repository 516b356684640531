package org.quicproquo.mls.crypto;

import java.util.Arrays;

/** A signature key pair in the encodings described on {@link CipherSuite}. */
public record SignatureKeyPair(byte[] privateKey, byte[] publicKey) {
  public SignatureKeyPair {
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
    return o instanceof SignatureKeyPair k && Arrays.equals(privateKey, k.privateKey)
        && Arrays.equals(publicKey, k.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "SignatureKeyPair[private=<redacted>]";
  }
}
