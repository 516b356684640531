package org.quicproquo.mls.tree;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §7.8 / §12.4.3.3:
 *
 * <pre>
 * enum {
 *     reserved(0),
 *     leaf(1),
 *     parent(2),
 *     (255)
 * } NodeType;
 *
 * struct {
 *     NodeType node_type;
 *     select (Node.node_type) {
 *         case leaf:   LeafNode leaf_node;
 *         case parent: ParentNode parent_node;
 *     };
 * } Node;
 * </pre>
 *
 * A blank node is represented by {@code null} wherever a {@code Node} may be absent.
 */
public sealed interface Node permits LeafNode, ParentNode {
  /** NodeType codes. */
  int LEAF = 1;
  int PARENT = 2;

  /** The node's HPKE public key. */
  byte[] encryptionKey();

  /** Writes the {@code Node} struct (type byte, then the node). */
  static void encodeNode(TlsWriter w, Node node) {
    if (node instanceof LeafNode l) {
      w.u8(LEAF);
      l.encode(w);
    } else {
      w.u8(PARENT);
      ((ParentNode) node).encode(w);
    }
  }

  /** Reads a {@code Node}; rejects unknown node types. */
  static Node decodeNode(TlsReader r) throws DecodeException {
    int type = r.u8();
    return switch (type) {
      case LEAF -> LeafNode.decode(r);
      case PARENT -> ParentNode.decode(r);
      default -> throw new DecodeException("unknown node_type " + type);
    };
  }
}
