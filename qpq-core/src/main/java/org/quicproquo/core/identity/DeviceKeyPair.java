package org.quicproquo.core.identity;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A device's Ed25519 signature key pair: signs login challenges and MLS messages of this device.
 *
 * <p>Holds secret material: not a record, no content equality, {@code toString} shows only the
 * public key. Thread-safe (immutable).
 */
public final class DeviceKeyPair {
  private final Ed25519PrivateKeyParameters privateKey;
  private final DevicePublicKey publicKey;

  private DeviceKeyPair(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new DevicePublicKey(privateKey.generatePublicKey().getEncoded());
  }

  /** A fresh key pair from {@code random}. */
  public static DeviceKeyPair generate(SecureRandom random) {
    return new DeviceKeyPair(new Ed25519PrivateKeyParameters(random));
  }

  /**
   * Restores a key pair from its 32-byte RFC 8032 private key (as stored by the key store).
   *
   * @throws InvalidIdentityException if the length is wrong
   */
  public static DeviceKeyPair fromPrivateKey(byte[] privateKey) throws InvalidIdentityException {
    if (privateKey == null || privateKey.length != Ed25519Keys.PRIVATE_KEY_SIZE) {
      throw new InvalidIdentityException("Ed25519 private key must be " + Ed25519Keys.PRIVATE_KEY_SIZE + " bytes");
    }
    return new DeviceKeyPair(new Ed25519PrivateKeyParameters(privateKey, 0));
  }

  /** The public half. */
  public DevicePublicKey publicKey() {
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
    return "DeviceKeyPair[" + publicKey + "]";
  }
}
