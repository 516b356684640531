package org.quicproquo.mls.tree;

import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §7.6:
 *
 * <pre>
 * struct {
 *     LeafNode leaf_node;
 *     UpdatePathNode nodes&lt;V&gt;;
 * } UpdatePath;
 * </pre>
 *
 * {@code nodes} has one entry per node of the sender's filtered direct path, bottom up. Produced
 * and consumed by {@link TreeKem}.
 */
public record UpdatePath(LeafNode leafNode, List<UpdatePathNode> nodes) implements TlsEncodable {
  public UpdatePath {
    nodes = List.copyOf(nodes);
  }

  @Override
  public void encode(TlsWriter w) {
    leafNode.encode(w);
    w.vector(nodes);
  }

  /** Reads an unverified UpdatePath (see {@link TreeKem#merge}). */
  public static UpdatePath decode(TlsReader r) throws DecodeException {
    return new UpdatePath(LeafNode.decode(r), r.vector(UpdatePathNode::decode));
  }
}
