package org.quicproquo.kt;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written as the plain recursions of the RFC, with their own
 * SHA-256 calls (no {@link TreeHashes}, no caching): the reference the incremental log is checked
 * against. Leaves are produced on demand, so a million-leaf reference needs no storage. The
 * memoized variant remembers MTH per range (same recursion, fewer repeated hashes) for the
 * exhaustive small-tree tests.
 */
final class NaiveTree {
  private final LongFunction<byte[]> leafData;
  private final Map<List<Long>, byte[]> memo;

  NaiveTree(LongFunction<byte[]> leafData) {
    this(leafData, null);
  }

  private NaiveTree(LongFunction<byte[]> leafData, Map<List<Long>, byte[]> memo) {
    this.leafData = leafData;
    this.memo = memo;
  }

  static NaiveTree memoized(LongFunction<byte[]> leafData) {
    return new NaiveTree(leafData, new HashMap<>());
  }

  /** Leaf data used by the tests: the index as 8 big-endian bytes. */
  static byte[] indexData(long i) {
    return ByteBuffer.allocate(8).putLong(i).array();
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] leaf(byte[] data) {
    return sha256(new byte[] {0}, data);
  }

  static byte[] node(byte[] l, byte[] r) {
    return sha256(new byte[] {1}, l, r);
  }

  private static long k(long n) {
    long k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  /** MTH(D[start:end]). */
  byte[] mth(long start, long end) {
    if (memo == null) {
      return computeMth(start, end);
    }
    List<Long> key = List.of(start, end);
    byte[] cached = memo.get(key);
    if (cached == null) {
      cached = computeMth(start, end);
      memo.put(key, cached);
    }
    return cached;
  }

  private byte[] computeMth(long start, long end) {
    long n = end - start;
    if (n == 0) {
      return sha256();
    }
    if (n == 1) {
      return leaf(leafData.apply(start));
    }
    long k = k(n);
    return node(mth(start, start + k), mth(start + k, end));
  }

  /** PATH(m, D[n]). */
  List<byte[]> path(long m, long n) {
    List<byte[]> out = new ArrayList<>();
    path(m, 0, n, out);
    return out;
  }

  private void path(long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n <= 1) {
      return;
    }
    long k = k(n);
    if (m < k) {
      path(m, start, start + k, out);
      out.add(mth(start + k, end));
    } else {
      path(m - k, start + k, end, out);
      out.add(mth(start, start + k));
    }
  }

  /** PROOF(m, D[n]) for 0 &lt; m &lt; n. */
  List<byte[]> proof(long m, long n) {
    List<byte[]> out = new ArrayList<>();
    subproof(m, 0, n, true, out);
    return out;
  }

  private void subproof(long m, long start, long end, boolean b, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!b) {
        out.add(mth(start, end));
      }
      return;
    }
    long k = k(n);
    if (m <= k) {
      subproof(m, start, start + k, b, out);
      out.add(mth(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(mth(start, start + k));
    }
  }
}
