package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * {@code tree-operations.json}: apply one Add, Update or Remove proposal to {@code tree_before} and
 * compare the resulting tree and both tree hashes. The proposal is decoded here with just the three
 * proposal bodies this file uses (§12.1.1-12.1.3), so the check depends on the tree package only.
 */
final class TreeOperationsVectors implements VectorKind {
  @Override
  public String name() {
    return "tree-operations";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    return VectorKind.indexed(root, Case::new);
  }

  private record Case(int index, JsonNode json) implements VectorCase {
    @Override
    public String name() {
      return "#" + index + " cipher_suite=" + json.path("cipher_suite").asText();
    }

    @Override
    public void check() throws Exception {
      CipherSuite suite = CryptoJson.suite(CryptoJson.number(json, "cipher_suite"));
      RatchetTree tree = RatchetTree.decode(suite, CryptoJson.hex(json, "tree_before"));
      VectorMismatch.expectHex("tree_hash_before", CryptoJson.text(json, "tree_hash_before"),
          tree.treeHash());
      LeafIndex sender = LeafIndex.of((int) CryptoJson.number(json, "proposal_sender"));
      TlsReader r = new TlsReader(CryptoJson.hex(json, "proposal"));
      int type = r.u16();
      switch (type) {
        case 1 -> tree.addLeaf(KeyPackage.decode(r).leafNode());
        case 2 -> tree.updateLeaf(sender, LeafNode.decode(r));
        case 3 -> tree.removeLeaf(LeafIndex.decode(r));
        default -> throw new DecodeException("unexpected proposal type " + type);
      }
      r.finish();
      VectorMismatch.expectHex("tree_after", CryptoJson.text(json, "tree_after"), tree.encode());
      VectorMismatch.expectHex("tree_hash_after", CryptoJson.text(json, "tree_hash_after"),
          tree.treeHash());
    }
  }
}
