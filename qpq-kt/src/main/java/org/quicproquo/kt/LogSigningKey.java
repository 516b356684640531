package org.quicproquo.kt;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The server's KT signing key (Ed25519). Only the log operator holds one; clients need only the
 * {@link #publicKey()}. Not a record: it holds a secret, so it has no content equality and its
 * {@code toString} shows only the public half. Thread-safe (immutable).
 */
public final class LogSigningKey {
  private final Ed25519PrivateKeyParameters secret;
  private final LogPublicKey publicKey;

  private LogSigningKey(Ed25519PrivateKeyParameters secret) {
    this.secret = secret;
    this.publicKey = new LogPublicKey(secret.generatePublicKey().getEncoded());
  }

  /** A fresh key from {@code random}. */
  public static LogSigningKey generate(SecureRandom random) {
    return new LogSigningKey(new Ed25519PrivateKeyParameters(random));
  }

  /** The key with the given 32-byte Ed25519 seed (as stored by the server). */
  public static LogSigningKey fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
    }
    return new LogSigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** The 32-byte seed, for the server's key storage. The caller owns (and should wipe) the copy. */
  public byte[] seed() {
    return secret.getEncoded();
  }

  /** The public half, published to clients. */
  public LogPublicKey publicKey() {
    return publicKey;
  }

  /** Signs a tree head over its labelled encoding. */
  public SignedTreeHead sign(long treeSize, byte[] rootHash, long timestampMs) {
    byte[] tbs = SignedTreeHead.toBeSigned(treeSize, rootHash, timestampMs);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, secret);
    signer.update(tbs, 0, tbs.length);
    return new SignedTreeHead(treeSize, rootHash, timestampMs, signer.generateSignature());
  }

  @Override
  public String toString() {
    return "LogSigningKey[public " + publicKey + "]";
  }
}
