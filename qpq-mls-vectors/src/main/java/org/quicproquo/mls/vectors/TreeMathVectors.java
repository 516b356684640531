package org.quicproquo.mls.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.quicproquo.mls.tree.TreeMath;

/** {@code tree-math.json}: root, left, right, parent and sibling for each tree size. */
final class TreeMathVectors implements VectorKind {
  @Override
  public String name() {
    return "tree-math";
  }

  @Override
  public List<VectorCase> cases(JsonNode root) throws VectorFormatException {
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode c : root) {
      out.add(new Case(c));
    }
    return out;
  }

  private record Case(JsonNode json) implements VectorCase {
    @Override
    public String name() {
      return "n_leaves=" + json.path("n_leaves").asText();
    }

    @Override
    public void check() {
      int n = json.get("n_leaves").asInt();
      int width = json.get("n_nodes").asInt();
      VectorMismatch.expect("n_nodes", width, TreeMath.nodeWidth(n));
      VectorMismatch.expect("root", json.get("root").asInt(), TreeMath.root(n));
      for (int i = 0; i < width; i++) {
        final int x = i;
        expectOpt("left[" + i + "]", json.get("left").get(i),
            TreeMath.isLeaf(x) ? null : TreeMath.left(x));
        expectOpt("right[" + i + "]", json.get("right").get(i),
            TreeMath.isLeaf(x) ? null : TreeMath.right(x));
        boolean isRoot = x == TreeMath.root(n);
        expectOpt("parent[" + i + "]", json.get("parent").get(i),
            isRoot ? null : TreeMath.parent(x, n));
        expectOpt("sibling[" + i + "]", json.get("sibling").get(i),
            isRoot ? null : TreeMath.sibling(x, n));
      }
    }

    private static void expectOpt(String field, JsonNode expected, Integer actual) {
      Integer exp = expected == null || expected.isNull() ? null : expected.asInt();
      VectorMismatch.expect(field, exp, actual);
    }
  }
}
