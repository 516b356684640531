package org.quicproquo.core.identity;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A user's Ed25519 identity key pair. The private key signs device certificates ({@link AuthTranscripts#deviceCertificate}) and
 * nothing else in qpq-core.
 *
 * <p>Holds secret material: not a record, no content equality, {@code toString} shows only the
 * public key. Thread-safe (immutable).
 */
public final class IdentityKeyPair {
  private final Ed25519PrivateKeyParameters privateKey;
  private final IdentityKey publicKey;

  private IdentityKeyPair(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new IdentityKey(privateKey.generatePublicKey().getEncoded());
  }

  /** A fresh key pair from {@code random}. */
  public static IdentityKeyPair generate(SecureRandom random) {
    return new IdentityKeyPair(new Ed25519PrivateKeyParameters(random));
  }

  /**
   * Restores a key pair from its 32-byte RFC 8032 private key (as stored by the key store).
   *
   * @throws InvalidIdentityException if the length is wrong
   */
  public static IdentityKeyPair fromPrivateKey(byte[] privateKey) throws InvalidIdentityException {
    if (privateKey == null || privateKey.length != Ed25519Keys.PRIVATE_KEY_SIZE) {
      throw new InvalidIdentityException("Ed25519 private key must be " + Ed25519Keys.PRIVATE_KEY_SIZE + " bytes");
    }
    return new IdentityKeyPair(new Ed25519PrivateKeyParameters(privateKey, 0));
  }

  /** The public half. */
  public IdentityKey publicKey() {
    return publicKey;
  }

  /** A copy of the 32-byte private key; the caller owns it and should wipe it after use. */
  public byte[] privateKeyBytes() {
    return privateKey.getEncoded();
  }

  /** Signs {@code message} with pure Ed25519 (64-byte signature). */
  public byte[] sign(byte[] message) {
    return Ed25519Keys.sign(privateKey, message);
  }

  @Override
  public String toString() {
    return "IdentityKeyPair[" + publicKey + "]";
  }
}
