package org.quicproquo.mls.group;

import java.util.Objects;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.tree.KeyPackage;

/**
 * A KeyPackage (RFC 9420 §10) with the private keys that belong to it: the HPKE private key of
 * {@code init_key}, the HPKE private key of the leaf's {@code encryption_key}, and the signature
 * key pair of the leaf. Publish {@link #keyPackage()}; keep the rest secret and use it once, in
 * {@link Group#join}. Create with {@link Group#generateKeyPackage}.
 */
public record KeyPackageBundle(KeyPackage keyPackage, byte[] initPrivateKey,
    byte[] encryptionPrivateKey, SignatureKeyPair signatureKeyPair) {
  public KeyPackageBundle {
    Objects.requireNonNull(keyPackage, "keyPackage");
    initPrivateKey = initPrivateKey.clone();
    encryptionPrivateKey = encryptionPrivateKey.clone();
    Objects.requireNonNull(signatureKeyPair, "signatureKeyPair");
  }

  @Override
  public byte[] initPrivateKey() {
    return initPrivateKey.clone();
  }

  @Override
  public byte[] encryptionPrivateKey() {
    return encryptionPrivateKey.clone();
  }

  @Override
  public String toString() {
    return "KeyPackageBundle[" + keyPackage.cipherSuite() + ", private keys redacted]";
  }
}
