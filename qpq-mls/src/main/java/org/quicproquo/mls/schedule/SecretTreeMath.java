package org.quicproquo.mls.schedule;

/**
 * The little of RFC 9420 Appendix C array-based tree math the secret tree needs. Trees here always
 * have a power-of-two number of leaves, so the tree is complete. Public tree math lives in the tree
 * package; this copy keeps the schedule package free of that dependency.
 */
final class SecretTreeMath {
  private SecretTreeMath() {}

  /** Number of trailing one bits: 0 for leaves. */
  static int level(int x) {
    return Integer.numberOfTrailingZeros(~x);
  }

  static int root(int leafCount) {
    return leafCount - 1;
  }

  static int left(int x) {
    int k = level(x);
    return x ^ (1 << (k - 1));
  }

  static int right(int x) {
    int k = level(x);
    return x ^ (3 << (k - 1));
  }

  static int leafNode(int leaf) {
    return 2 * leaf;
  }

  static boolean isPowerOfTwo(int n) {
    return n > 0 && (n & (n - 1)) == 0;
  }
}
