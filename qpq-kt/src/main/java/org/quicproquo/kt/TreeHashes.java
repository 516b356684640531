package org.quicproquo.kt;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256:
 *
 * <pre>
 *   MTH({})       = SHA-256()
 *   MTH({d(0)})   = SHA-256(0x00 || d(0))                      leaf hash
 *   MTH(D[n])     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) node hash, k = largest 2^i &lt; n
 * </pre>
 *
 * The distinct 0x00 / 0x01 prefixes keep a leaf from being passed off as an interior node
 * (second-preimage resistance). Not thread-safe: one instance per thread; {@link #create()} is cheap.
 */
public final class TreeHashes {
  /** Size of every hash in the log. */
  public static final int HASH_LENGTH = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private final MessageDigest sha256;

  private TreeHashes(MessageDigest sha256) {
    this.sha256 = sha256;
  }

  /** A fresh hasher (its own {@link MessageDigest}). */
  public static TreeHashes create() {
    try {
      return new TreeHashes(MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
    }
  }

  /** {@code MTH({})}: SHA-256 of the empty string, the root of the empty tree. */
  public byte[] emptyRoot() {
    return sha256.digest();
  }

  /** {@code SHA-256(0x00 || entry)}. */
  public byte[] leafHash(byte[] entry) {
    sha256.update(LEAF_PREFIX);
    sha256.update(entry);
    return sha256.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}; both must be {@value #HASH_LENGTH} bytes. */
  public byte[] nodeHash(byte[] left, byte[] right) {
    if (left.length != HASH_LENGTH || right.length != HASH_LENGTH) {
      throw new IllegalArgumentException("node children must be 32-byte hashes");
    }
    sha256.update(NODE_PREFIX);
    sha256.update(left);
    sha256.update(right);
    return sha256.digest();
  }

  /** The largest power of two strictly smaller than {@code n} (n &gt; 1): RFC 9162's split point k. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }
}
