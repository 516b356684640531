package org.quicproquo.mls.tree;

/**
 * Index of a node in the array representation of a ratchet tree (RFC 9420 §4.1, §Appendix C):
 * leaves at even indices, parent nodes at odd indices.
 */
public record NodeIndex(int value) implements Comparable<NodeIndex> {
  public NodeIndex {
    if (value < 0 || value > 2 * LeafIndex.MAX) {
      throw new IllegalArgumentException("node index out of range: " + value);
    }
  }

  /** Same as the constructor. */
  public static NodeIndex of(int value) {
    return new NodeIndex(value);
  }

  /** True for even indices (leaves). */
  public boolean isLeaf() {
    return (value & 1) == 0;
  }

  /** The leaf this node is; throws if it is a parent node. */
  public LeafIndex leaf() {
    if (!isLeaf()) {
      throw new IllegalStateException("node " + value + " is not a leaf");
    }
    return new LeafIndex(value >>> 1);
  }

  @Override
  public int compareTo(NodeIndex o) {
    return Integer.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "node " + value;
  }
}
