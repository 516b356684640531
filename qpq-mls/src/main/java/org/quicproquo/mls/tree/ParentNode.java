package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §7.1:
 *
 * <pre>
 * struct {
 *     HPKEPublicKey encryption_key;
 *     opaque parent_hash&lt;V&gt;;
 *     uint32 unmerged_leaves&lt;V&gt;;
 * } ParentNode;
 * </pre>
 */
public record ParentNode(byte[] encryptionKey, byte[] parentHash, List<LeafIndex> unmergedLeaves)
    implements Node, TlsEncodable {

  public ParentNode {
    encryptionKey = encryptionKey.clone();
    parentHash = parentHash.clone();
    unmergedLeaves = List.copyOf(unmergedLeaves);
  }

  @Override
  public byte[] encryptionKey() {
    return encryptionKey.clone();
  }

  @Override
  public byte[] parentHash() {
    return parentHash.clone();
  }

  /** Same node with {@code leaf} appended to unmerged_leaves (§12.1.1: Add). */
  public ParentNode withUnmergedLeaf(LeafIndex leaf) {
    LeafIndex[] l = unmergedLeaves.toArray(new LeafIndex[unmergedLeaves.size() + 1]);
    l[l.length - 1] = leaf;
    return new ParentNode(encryptionKey, parentHash, Arrays.asList(l));
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(encryptionKey).opaque(parentHash);
    w.vector(unmergedLeaves, (ww, l) -> l.encode(ww));
  }

  /** Reads a ParentNode. */
  public static ParentNode decode(TlsReader r) throws DecodeException {
    return new ParentNode(r.opaque(), r.opaque(), r.vector(LeafIndex::decode));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParentNode p && Arrays.equals(encryptionKey, p.encryptionKey)
        && Arrays.equals(parentHash, p.parentHash) && unmergedLeaves.equals(p.unmergedLeaves);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encryptionKey);
  }
}
