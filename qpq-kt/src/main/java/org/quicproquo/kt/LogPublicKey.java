package org.quicproquo.kt;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The log's Ed25519 public key (32 bytes), as the server publishes it in serverInfo. Clients
 * verify every {@link SignedTreeHead} with it.
 *
 * @param bytes the encoded public key (copied)
 */
public record LogPublicKey(byte[] bytes) {
  /** Length of an Ed25519 public key. */
  public static final int LENGTH = 32;

  /** Checks the length and that the bytes decode to a curve point; throws {@link IllegalArgumentException}. */
  public LogPublicKey {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("log key must be 32 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
    parameters(bytes);
  }

  /** Decodes untrusted bytes; a bad length or point is {@link KtException.Reason#MALFORMED}. */
  public static LogPublicKey decode(byte[] bytes) throws KtException {
    try {
      return new LogPublicKey(bytes);
    } catch (IllegalArgumentException e) {
      throw new KtException(KtException.Reason.MALFORMED, "log key: " + e.getMessage());
    }
  }

  /** A copy of the key bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether {@code signature} is a valid Ed25519 signature of {@code message}; never throws. */
  boolean verify(byte[] message, byte[] signature) {
    if (signature.length != SignedTreeHead.SIGNATURE_LENGTH) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, parameters(bytes));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  private static Ed25519PublicKeyParameters parameters(byte[] bytes) {
    try {
      return new Ed25519PublicKeyParameters(bytes, 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogPublicKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "LogPublicKey[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
