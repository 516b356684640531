package org.quicproquo.core.identity;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Ed25519 helpers shared by the identity and device key types (RFC 8032, pure Ed25519). */
final class Ed25519Keys {
  static final int PUBLIC_KEY_SIZE = Ed25519PublicKeyParameters.KEY_SIZE;
  static final int PRIVATE_KEY_SIZE = Ed25519PrivateKeyParameters.KEY_SIZE;
  static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

  private Ed25519Keys() {
  }

  /** Checks length and that the bytes decode to a curve point; returns a reason or null. */
  static String publicKeyProblem(byte[] key) {
    if (key == null || key.length != PUBLIC_KEY_SIZE) {
      return "Ed25519 public key must be " + PUBLIC_KEY_SIZE + " bytes";
    }
    try {
      new Ed25519PublicKeyParameters(key);
      return null;
    } catch (RuntimeException e) {
      return "Ed25519 public key is not a valid point";
    }
  }

  static byte[] sign(Ed25519PrivateKeyParameters sk, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, sk);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Never throws: malformed keys or signatures simply do not verify. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != PUBLIC_KEY_SIZE || signature == null || signature.length != SIGNATURE_SIZE) {
      return false;
    }
    try {
      Ed25519PublicKeyParameters pk = new Ed25519PublicKeyParameters(publicKey);
      return pk.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
