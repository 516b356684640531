package org.quicproquo.kt;

import java.security.MessageDigest;
import java.util.List;

/**
 * Pure verification of the log's proofs and tree heads: no state, no server dependency; every
 * input comes from the caller. Implements the algorithms of RFC 9162 §2.1.3.2 (inclusion) and
 * §2.1.4.2 (consistency) step by step. Thread-safe.
 *
 * <p>{@code verifyInclusion} and {@code verifyConsistency} trust the tree heads they are given;
 * verify their signatures first ({@link #verifyTreeHead}), or use {@link TreeHeadHistory}, which
 * does both.
 */
public final class LogVerifier {
  private LogVerifier() {}

  /** Throws {@link KtException.Reason#BAD_SIGNATURE} unless {@code logKey} signed {@code sth}. */
  public static void verifyTreeHead(SignedTreeHead sth, LogPublicKey logKey) throws KtException {
    sth.verify(logKey);
  }

  /**
   * Checks that {@code entryBytes} is leaf {@code index} of the tree {@code sth} commits to.
   *
   * @throws KtException {@code INCLUSION_FAILED} if the proof is for another index or tree size,
   *     or does not lead to {@code sth}'s root
   */
  public static void verifyInclusion(byte[] entryBytes, long index, InclusionProof proof,
      SignedTreeHead sth) throws KtException {
    if (proof.leafIndex() != index || proof.treeSize() != sth.treeSize()) {
      throw new KtException(KtException.Reason.INCLUSION_FAILED, "proof is for leaf "
          + proof.leafIndex() + " of " + proof.treeSize() + ", expected " + index + " of "
          + sth.treeSize());
    }
    TreeHashes hashes = TreeHashes.create();
    if (!inclusionValid(hashes, hashes.leafHash(entryBytes), index, sth.treeSize(), proof.path(),
        sth.rootHash())) {
      throw new KtException(KtException.Reason.INCLUSION_FAILED,
          "leaf " + index + " not included in tree of size " + sth.treeSize());
    }
  }

  /** {@link #verifyInclusion(byte[], long, InclusionProof, SignedTreeHead)} at the entry's sequence number. */
  public static void verifyInclusion(LogEntry entry, InclusionProof proof, SignedTreeHead sth)
      throws KtException {
    verifyInclusion(entry.encode(), entry.sequence(), proof, sth);
  }

  /**
   * Checks that {@code newSth}'s tree extends {@code oldSth}'s (append-only).
   *
   * @throws KtException {@code ROLLBACK} if {@code newSth} is smaller; {@code INCONSISTENT} if
   *     the proof is for other sizes or does not connect the two roots (same size with different
   *     roots included: a fork)
   */
  public static void verifyConsistency(SignedTreeHead oldSth, SignedTreeHead newSth,
      ConsistencyProof proof) throws KtException {
    long m = oldSth.treeSize();
    long n = newSth.treeSize();
    if (n < m) {
      throw new KtException(KtException.Reason.ROLLBACK,
          "tree size went back from " + m + " to " + n);
    }
    if (proof.oldSize() != m || proof.newSize() != n) {
      throw new KtException(KtException.Reason.INCONSISTENT, "proof is for " + proof.oldSize()
          + " -> " + proof.newSize() + ", expected " + m + " -> " + n);
    }
    if (!consistencyValid(TreeHashes.create(), m, n, oldSth.rootHash(), newSth.rootHash(),
        proof.path())) {
      throw new KtException(KtException.Reason.INCONSISTENT,
          "tree of size " + n + " does not extend tree of size " + m);
    }
  }

  /** RFC 9162 §2.1.3.2, returning whether the path leads from {@code leafHash} to {@code root}. */
  static boolean inclusionValid(TreeHashes hashes, byte[] leafHash, long leafIndex, long treeSize,
      List<byte[]> path, byte[] root) {
    // 1. Compare leaf_index against tree_size; fail if leaf_index >= tree_size.
    if (leafIndex < 0 || leafIndex >= treeSize) {
      return false;
    }
    // 2-3. fn = leaf_index, sn = tree_size - 1, r = hash.
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    // 4. For each p in the path:
    for (byte[] p : path) {
      if (sn == 0) {
        return false; // a. path longer than the tree is tall
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hashes.nodeHash(p, r); // b. i.
        if ((fn & 1) == 0) {
          // b. ii. the right edge: skip levels where this node has no right sibling
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = hashes.nodeHash(r, p);
      }
      fn >>>= 1; // c.
      sn >>>= 1;
    }
    // 5. sn must be 0 and r the root.
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** RFC 9162 §2.1.4.2 (with the trivial cases m == 0 and m == n made explicit). */
  static boolean consistencyValid(TreeHashes hashes, long first, long second, byte[] firstHash,
      byte[] secondHash, List<byte[]> path) {
    if (first < 0 || first > second) {
      return false;
    }
    if (first == second) {
      // Same tree: nothing to prove, the roots must simply agree.
      return path.isEmpty() && MessageDigest.isEqual(firstHash, secondHash);
    }
    if (first == 0) {
      // Every tree extends the empty tree, whose root is fixed.
      return path.isEmpty() && MessageDigest.isEqual(firstHash, hashes.emptyRoot());
    }
    // 1. An empty path fails.
    if (path.isEmpty()) {
      return false;
    }
    // 2. If first is an exact power of 2, prepend first_hash.
    int next = 0;
    byte[] start;
    if (Long.bitCount(first) == 1) {
      start = firstHash;
    } else {
      start = path.get(0);
      next = 1;
    }
    // 3. fn = first - 1, sn = second - 1.
    long fn = first - 1;
    long sn = second - 1;
    // 4. While LSB(fn) is set, right-shift both.
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    // 5. fr = sr = the first value.
    byte[] fr = start;
    byte[] sr = start;
    // 6. For each subsequent value c:
    for (int i = next; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        return false; // a.
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hashes.nodeHash(c, fr); // b. i.
        sr = hashes.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) { // b. ii.
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = hashes.nodeHash(sr, c);
      }
      fn >>>= 1; // c.
      sn >>>= 1;
    }
    // 7. fr = first_hash, sr = second_hash, sn = 0.
    return sn == 0 && MessageDigest.isEqual(fr, firstHash) && MessageDigest.isEqual(sr, secondHash);
  }
}
