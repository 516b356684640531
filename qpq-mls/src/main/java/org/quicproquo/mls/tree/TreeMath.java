package org.quicproquo.mls.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Array-representation tree arithmetic of RFC 9420 §4.1 and §Appendix C for trees whose leaf count
 * is a power of two (RFC 9420 trees are always full: §7.7, §7.8). Node indices are plain
 * {@code int}s here because these functions sit on every hot path; the typed forms
 * {@link NodeIndex}/{@link LeafIndex} wrap them at API boundaries.
 *
 * <pre>
 *               X            level 2
 *         X           X      level 1
 *      X     X     X     X   level 0 (leaves)
 *      0  1  2  3  4  5  6   node index
 * </pre>
 *
 * Methods throw {@link IllegalArgumentException} for arguments outside the tree (a programming
 * error: callers bound indices against the tree first).
 */
public final class TreeMath {
  private TreeMath() {}

  /** Floor of log2(x), 0 for x == 0. */
  public static int log2(int x) {
    return x == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(x);
  }

  /** Level of a node: 0 for leaves, the count of trailing 1 bits otherwise. */
  public static int level(int x) {
    return Integer.numberOfTrailingZeros(~x);
  }

  /** Number of nodes in a tree with {@code nLeaves} leaves. */
  public static int nodeWidth(int nLeaves) {
    return nLeaves == 0 ? 0 : 2 * (nLeaves - 1) + 1;
  }

  /** Root node index of a tree with {@code nLeaves} leaves (a power of two). */
  public static int root(int nLeaves) {
    checkLeafCount(nLeaves);
    return (1 << log2(nodeWidth(nLeaves))) - 1;
  }

  /** True for even node indices. */
  public static boolean isLeaf(int x) {
    return (x & 1) == 0;
  }

  /** Left child of parent node {@code x}. */
  public static int left(int x) {
    int k = level(x);
    if (k == 0) {
      throw new IllegalArgumentException("leaf " + x + " has no children");
    }
    return x ^ (1 << (k - 1));
  }

  /** Right child of parent node {@code x}. */
  public static int right(int x) {
    int k = level(x);
    if (k == 0) {
      throw new IllegalArgumentException("leaf " + x + " has no children");
    }
    return x ^ (3 << (k - 1));
  }

  /** Parent of node {@code x} in a tree of {@code nLeaves} leaves; throws for the root. */
  public static int parent(int x, int nLeaves) {
    checkNode(x, nLeaves);
    if (x == root(nLeaves)) {
      throw new IllegalArgumentException("root " + x + " has no parent");
    }
    return parentUnchecked(x);
  }

  static int parentUnchecked(int x) {
    int k = level(x);
    int b = (x >>> (k + 1)) & 1;
    return (x | (1 << k)) ^ (b << (k + 1));
  }

  /** The other child of {@code x}'s parent. */
  public static int sibling(int x, int nLeaves) {
    int p = parent(x, nLeaves);
    return x < p ? right(p) : left(p);
  }

  /** The nodes from {@code x}'s parent up to and including the root (§4.1); empty for the root. */
  public static int[] directPath(int x, int nLeaves) {
    checkNode(x, nLeaves);
    int r = root(nLeaves);
    int[] out = new int[Math.max(0, level(r) - level(x))];
    int i = 0;
    while (x != r) {
      x = parentUnchecked(x);
      out[i++] = x;
    }
    return i == out.length ? out : java.util.Arrays.copyOf(out, i);
  }

  /** The siblings of {@code x} and of each node of its direct path except the root (§4.1). */
  public static int[] copath(int x, int nLeaves) {
    checkNode(x, nLeaves);
    int r = root(nLeaves);
    List<Integer> out = new ArrayList<>();
    while (x != r) {
      int p = parentUnchecked(x);
      out.add(x < p ? right(p) : left(p));
      x = p;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** True if {@code ancestor} is {@code x} or lies above it. */
  public static boolean isAncestorOrSelf(int ancestor, int x) {
    int k = level(ancestor);
    // The subtree of a level-k node spans the 2^(k+1)-1 indices centred on it.
    int half = (1 << k) - 1;
    return x >= ancestor - half && x <= ancestor + half;
  }

  /** Lowest common ancestor of two nodes (§Appendix C, common_ancestor_direct). */
  public static int commonAncestor(int x, int y) {
    int lx = level(x) + 1;
    int ly = level(y) + 1;
    if (lx <= ly && (x >>> ly) == (y >>> ly)) {
      return y;
    }
    if (ly <= lx && (x >>> lx) == (y >>> lx)) {
      return x;
    }
    int xn = x;
    int yn = y;
    int k = 0;
    while (xn != yn) {
      xn >>>= 1;
      yn >>>= 1;
      k++;
    }
    return (xn << k) + (1 << (k - 1)) - 1;
  }

  /** First leaf index under node {@code x}. */
  public static int firstLeaf(int x) {
    return (x - ((1 << level(x)) - 1)) >>> 1;
  }

  /** Last leaf index (inclusive) under node {@code x}. */
  public static int lastLeaf(int x) {
    return (x + ((1 << level(x)) - 1)) >>> 1;
  }

  private static void checkLeafCount(int nLeaves) {
    if (nLeaves <= 0 || Integer.bitCount(nLeaves) != 1) {
      throw new IllegalArgumentException("leaf count must be a power of two: " + nLeaves);
    }
  }

  private static void checkNode(int x, int nLeaves) {
    if (x < 0 || x >= nodeWidth(nLeaves)) {
      throw new IllegalArgumentException("node " + x + " outside a tree of " + nLeaves + " leaves");
    }
  }
}
