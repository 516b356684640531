package org.quicproquo.mls.tree;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * Index of a leaf among the leaves of a ratchet tree, counted from the left (RFC 9420 §4.1,
 * encoded as {@code uint32 leaf_index}). Leaf {@code i} sits at node index {@code 2i}.
 */
public record LeafIndex(int value) implements Comparable<LeafIndex> {
  /** Largest leaf index this library accepts; keeps node indices within a non-negative int. */
  public static final int MAX = (1 << 29) - 1;

  public LeafIndex {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("leaf index out of range: " + value);
    }
  }

  /** Same as the constructor. */
  public static LeafIndex of(int value) {
    return new LeafIndex(value);
  }

  /** The node index of this leaf in the array representation (§Appendix C). */
  public NodeIndex node() {
    return new NodeIndex(2 * value);
  }

  /** Writes {@code uint32}. */
  public void encode(TlsWriter w) {
    w.u32(value);
  }

  /** Reads a {@code uint32}; rejects values beyond {@link #MAX}. */
  public static LeafIndex decode(TlsReader r) throws DecodeException {
    long v = r.u32();
    if (v > MAX) {
      throw new DecodeException("leaf index too large: " + v);
    }
    return new LeafIndex((int) v);
  }

  @Override
  public int compareTo(LeafIndex o) {
    return Integer.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "leaf " + value;
  }
}
