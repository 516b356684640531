package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;
import org.quicproquo.mls.tree.RequiredCapabilities;
import org.quicproquo.mls.tree.TreeValidator;
import org.quicproquo.mls.tree.ValidationContext;

/**
 * {@code tree-validation.json}: per-node tree hashes and resolutions of a decoded tree, and that
 * the tree is valid (leaf signatures under group_id, parent hashes, unique keys).
 */
final class TreeValidationVectors implements VectorKind {
  @Override
  public String name() {
    return "tree-validation";
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
      RatchetTree tree = RatchetTree.decode(suite, CryptoJson.hex(json, "tree"));
      VectorMismatch.expectHex("tree (re-encoded)", json.get("tree").asText(), tree.encode());
      JsonNode hashes = CryptoJson.array(json, "tree_hashes");
      JsonNode resolutions = CryptoJson.array(json, "resolutions");
      VectorMismatch.expect("node count", hashes.size(), tree.nodeCount());
      for (int x = 0; x < hashes.size(); x++) {
        VectorMismatch.expectHex("tree_hashes[" + x + "]", hashes.get(x).asText(),
            tree.treeHash(NodeIndex.of(x)));
        List<Integer> expected = new ArrayList<>();
        resolutions.get(x).forEach(n -> expected.add(n.asInt()));
        List<Integer> actual = tree.resolution(NodeIndex.of(x)).stream()
            .map(NodeIndex::value).toList();
        VectorMismatch.expect("resolutions[" + x + "]", expected, actual);
      }
      TreeValidator.validateTree(tree, new ValidationContext(CryptoJson.hex(json, "group_id"),
          RequiredCapabilities.NONE, null));
    }
  }
}
