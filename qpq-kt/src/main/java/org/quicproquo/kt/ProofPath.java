package org.quicproquo.kt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Shared handling of a proof's hash list: copies, bounds, content equality, wire form. */
final class ProofPath {
  /** A log of up to 2^63 leaves never needs more than 63 (inclusion) or 64 (consistency) hashes. */
  static final int MAX_HASHES = 64;

  private ProofPath() {}

  /** An unmodifiable deep copy, each element checked to be a 32-byte hash. */
  static List<byte[]> copy(List<byte[]> path) {
    if (path.size() > MAX_HASHES) {
      throw new IllegalArgumentException("proof of " + path.size() + " hashes exceeds " + MAX_HASHES);
    }
    List<byte[]> out = new ArrayList<>(path.size());
    for (byte[] h : path) {
      if (h.length != TreeHashes.HASH_LENGTH) {
        throw new IllegalArgumentException("proof hashes must be 32 bytes");
      }
      out.add(h.clone());
    }
    return Collections.unmodifiableList(out);
  }

  static boolean equal(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  static int hash(List<byte[]> path) {
    int h = 1;
    for (byte[] e : path) {
      h = 31 * h + Arrays.hashCode(e);
    }
    return h;
  }

  /** {@code u8 count || count * hash[32]}. */
  static void write(Wire.Writer w, List<byte[]> path) {
    w.u8(path.size());
    for (byte[] h : path) {
      w.bytes(h);
    }
  }

  /** Reads a path, bounding the count before allocating. */
  static List<byte[]> read(Wire.Reader r) throws KtException {
    int count = r.u8();
    if (count > MAX_HASHES) {
      throw r.malformed("proof of " + count + " hashes exceeds " + MAX_HASHES);
    }
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(r.bytes(TreeHashes.HASH_LENGTH));
    }
    return out;
  }
}
