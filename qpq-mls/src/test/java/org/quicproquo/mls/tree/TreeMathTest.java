package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeMathTest {
  @Test
  void directPathAndCopathOfLeafInEightLeafTree() {
    assertThat(TreeMath.directPath(4, 8)).containsExactly(5, 3, 7);
    assertThat(TreeMath.copath(4, 8)).containsExactly(6, 1, 11);
    assertThat(TreeMath.directPath(7, 8)).isEmpty();
    assertThat(TreeMath.copath(7, 8)).isEmpty();
  }

  @Test
  void commonAncestorAndSubtreeAgreeWithWalkingUp() {
    int n = 32;
    for (int x = 0; x < TreeMath.nodeWidth(n); x++) {
      for (int y = 0; y < TreeMath.nodeWidth(n); y++) {
        assertThat(TreeMath.commonAncestor(x, y)).as("lca %d %d", x, y).isEqualTo(slowLca(x, y, n));
        assertThat(TreeMath.isAncestorOrSelf(x, y)).isEqualTo(ancestorsOrSelf(y, n).contains(x));
      }
    }
  }

  @Test
  void leafRangeOfSubtree() {
    assertThat(TreeMath.firstLeaf(3)).isEqualTo(0);
    assertThat(TreeMath.lastLeaf(3)).isEqualTo(3);
    assertThat(TreeMath.firstLeaf(11)).isEqualTo(4);
    assertThat(TreeMath.lastLeaf(11)).isEqualTo(7);
    assertThat(TreeMath.firstLeaf(6)).isEqualTo(3);
    assertThat(TreeMath.lastLeaf(6)).isEqualTo(3);
  }

  @Test
  void rejectsNonPowerOfTwoAndOutOfTreeNodes() {
    assertThatThrownBy(() -> TreeMath.root(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TreeMath.parent(7, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TreeMath.parent(3, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TreeMath.left(2)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Integer> ancestorsOrSelf(int x, int n) {
    List<Integer> out = new ArrayList<>();
    out.add(x);
    for (int p : TreeMath.directPath(x, n)) {
      out.add(p);
    }
    return out;
  }

  private static int slowLca(int x, int y, int n) {
    List<Integer> ax = ancestorsOrSelf(x, n);
    for (int a : ancestorsOrSelf(y, n)) {
      if (ax.contains(a)) {
        return a;
      }
    }
    throw new AssertionError();
  }
}
