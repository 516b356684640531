package org.quicproquo.kt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An append-only Merkle log (RFC 9162 §2.1): appends leaves, computes the root of the current or
 * any earlier tree size, and generates inclusion (§2.1.3.1) and consistency (§2.1.4.1) proofs.
 *
 * <p>Every complete, aligned subtree is hashed once and kept: level {@code h} holds
 * {@code MTH(D[i*2^h : (i+1)*2^h])} for every {@code i < size >> h}. An append adds one leaf and
 * at most one hash per level it completes (amortised O(1), about two hashes per leaf); a root or a
 * proof then needs only O(log n) lookups plus the hashes of the one incomplete subtree on the
 * right edge, which the RFC's recursion meets at most once per proof:
 *
 * <pre>
 *   size 6:      [0..3]            level 2  (complete: stored)
 *              /        \
 *          [0,1]  [2,3]  [4,5]     level 1  (stored)
 *          0  1   2  3   4  5      level 0  (leaf hashes, in the LeafHashStore)
 *   MTH(D[6]) = node([0..3], [4,5])
 * </pre>
 *
 * <p>Memory: 32 bytes per leaf in the store plus about 32 bytes per leaf for the higher levels.
 * Not thread-safe: the owner serialises calls (a server appends from one writer).
 */
public final class MerkleLog {
  private final TreeHashes hashes = TreeHashes.create();
  private final LeafHashStore leaves;
  /** levels.get(h - 1) holds the complete subtree hashes of height h &gt;= 1. */
  private final List<HashArray> levels = new ArrayList<>();

  /** An empty log in memory. */
  public MerkleLog() {
    this(LeafHashStore.inMemory());
  }

  /**
   * A log over {@code leaves}, which may already hold leaf hashes (a reopened log): the higher
   * levels are rebuilt from them, one pass. The log takes ownership: append only through it.
   */
  public MerkleLog(LeafHashStore leaves) {
    this.leaves = Objects.requireNonNull(leaves, "leaves");
    long n = leaves.size();
    byte[] previous = null;
    for (long i = 0; i < n; i++) {
      byte[] leaf = leaves.get(i);
      completeSubtrees(i, leaf, previous);
      previous = leaf;
    }
  }

  /** Number of leaves. */
  public long size() {
    return leaves.size();
  }

  /** Appends {@code SHA-256(0x00 || entry)} and returns the new leaf's index. */
  public long append(byte[] entry) {
    return appendLeafHash(hashes.leafHash(entry));
  }

  /**
   * Appends {@code entry}, whose sequence number must equal the next index (so an entry's
   * sequence number always names its leaf), and returns that index.
   */
  public long append(LogEntry entry) {
    if (entry.sequence() != size()) {
      throw new IllegalArgumentException(
          "entry sequence " + entry.sequence() + " is not the next index " + size());
    }
    return append(entry.encode());
  }

  /** Appends a precomputed leaf hash (32 bytes) and returns its index. */
  public long appendLeafHash(byte[] leafHash) {
    if (leafHash.length != TreeHashes.HASH_LENGTH) {
      throw new IllegalArgumentException("leaf hash must be 32 bytes");
    }
    long index = leaves.size();
    byte[] left = (index & 1) == 1 ? leaves.get(index - 1) : null;
    byte[] copy = leafHash.clone();
    leaves.append(copy);
    completeSubtrees(index, copy, left);
    return index;
  }

  /** The leaf hash at {@code index}. */
  public byte[] leafHash(long index) {
    checkRange(index, 0, size() - 1, "leaf index");
    return leaves.get(index);
  }

  /** {@code MTH(D[size])}: the root of the whole log. */
  public byte[] rootHash() {
    return rootHash(size());
  }

  /** {@code MTH(D[0:treeSize])}: the root the log had at an earlier (or the current) size. */
  public byte[] rootHash(long treeSize) {
    checkRange(treeSize, 0, size(), "tree size");
    return treeSize == 0 ? hashes.emptyRoot() : subtreeHash(0, treeSize);
  }

  /**
   * The inclusion proof {@code PATH(leafIndex, D[treeSize])} (RFC 9162 §2.1.3.1): sibling hashes
   * from the leaf up to the root of the tree of {@code treeSize} leaves.
   */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    checkRange(treeSize, 1, size(), "tree size");
    checkRange(leafIndex, 0, treeSize - 1, "leaf index");
    List<byte[]> path = new ArrayList<>();
    path(leafIndex, 0, treeSize, path);
    return new InclusionProof(leafIndex, treeSize, path);
  }

  /**
   * The consistency proof {@code PROOF(oldSize, D[newSize])} (RFC 9162 §2.1.4.1); empty when
   * {@code oldSize} is 0 or equals {@code newSize}.
   */
  public ConsistencyProof consistencyProof(long oldSize, long newSize) {
    checkRange(newSize, 0, size(), "new size");
    checkRange(oldSize, 0, newSize, "old size");
    List<byte[]> path = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof(oldSize, 0, newSize, true, path);
    }
    return new ConsistencyProof(oldSize, newSize, path);
  }

  /**
   * Records the complete subtrees that leaf {@code index} closes: while the node is a right
   * child, hash it with its left sibling into the level above.
   */
  private void completeSubtrees(long index, byte[] leafHash, byte[] leftLeaf) {
    byte[] node = leafHash;
    long i = index;
    for (int h = 0; (i & 1) == 1; h++) {
      byte[] left = h == 0 ? leftLeaf : levels.get(h - 1).get(i - 1);
      node = hashes.nodeHash(left, node);
      i >>>= 1;
      if (levels.size() == h) {
        levels.add(new HashArray());
      }
      levels.get(h).append(node);
    }
  }

  /** MTH(D[start:end]); complete aligned ranges come from the cache, the rest per §2.1.1. */
  private byte[] subtreeHash(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1) {
      int h = Long.numberOfTrailingZeros(n);
      if ((start & (n - 1)) != 0) {
        throw new IllegalStateException("unaligned complete subtree " + start + ".." + end);
      }
      return h == 0 ? leaves.get(start) : levels.get(h - 1).get(start >>> h);
    }
    long k = TreeHashes.split(n);
    return hashes.nodeHash(subtreeHash(start, start + k), subtreeHash(start + k, end));
  }

  /** PATH(m, D[start:end]) of §2.1.3.1, m relative to start; appends leaf-side first. */
  private void path(long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = TreeHashes.split(n);
    if (m < k) {
      path(m, start, start + k, out);
      out.add(subtreeHash(start + k, end));
    } else {
      path(m - k, start + k, end, out);
      out.add(subtreeHash(start, start + k));
    }
  }

  /** SUBPROOF(m, D[start:end], b) of §2.1.4.1. */
  private void subproof(long m, long start, long end, boolean b, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!b) {
        out.add(subtreeHash(start, end));
      }
      return;
    }
    long k = TreeHashes.split(n);
    if (m <= k) {
      subproof(m, start, start + k, b, out);
      out.add(subtreeHash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(subtreeHash(start, start + k));
    }
  }

  private static void checkRange(long value, long min, long max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " " + value + " outside [" + min + ", " + max + "]");
    }
  }
}
