package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertStillWorks;
import static org.quicproquo.mls.compliance.Fixture.commitAll;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.NodeIndex;
import org.quicproquo.mls.tree.RatchetTree;

/**
 * TreeKEM over trees with blank nodes (RFC 9420 §4, §7.7-§7.9): Removes blank direct paths,
 * trailing blanks are truncated, Adds fill the leftmost blank and are recorded as unmerged
 * leaves, and path secrets reach members whose ancestors are blank through their resolution.
 */
class TreeKemBlankNodesTest {

  private static LeafIndex leaf(int i) {
    return new LeafIndex(i);
  }

  private static NodeIndex node(int i) {
    return new NodeIndex(i);
  }

  private static Group join(CommitResult r, KeyPackageBundle b) throws Exception {
    return Group.join(SUITE, r.welcome().orElseThrow(), b, Optional.empty(), ExternalPsks.none(),
        GroupOptions.defaults());
  }

  @Test
  @DisplayName("§7.7 a Remove blanks the removed leaf's direct path; the committer's path re-fills only its own")
  void removeBlanksTheDirectPath() throws Exception {
    List<Group> g = Fixture.group(8).members();
    // Leaf 2 (node 4) has direct path 5, 3, 7; committer 6 (node 12) has 13, 11, 7.
    commitAll(g, g.get(6), List.of(Proposal.Remove.of(leaf(2))));
    assertAgree(g);
    for (Group m : g) {
      if (!m.isActive()) {
        continue;
      }
      RatchetTree t = m.ratchetTree();
      assertThat(t.node(node(4))).isNull();
      assertThat(t.node(node(5))).isNull();
      assertThat(t.node(node(3))).isNull();
      assertThat(t.node(node(13))).isNotNull();
      assertThat(t.node(node(11))).isNotNull();
      assertThat(t.node(node(7))).isNotNull();
      assertThat(t.leafCount()).isEqualTo(8);
    }
    assertThat(g.get(2).isActive()).isFalse();
  }

  @Test
  @DisplayName("§4 §7.5 a path secret reaches a member whose ancestors are all blank through its leaf key")
  void pathSecretReachesAMemberUnderBlankParents() throws Exception {
    List<Group> g = Fixture.group(8).members();
    commitAll(g, g.get(6), List.of(Proposal.Remove.of(leaf(2))));
    // Node 3 (parent of leaves 0-3) is blank: its resolution is node 1 plus leaf 3 itself.
    assertThat(g.get(4).ratchetTree().resolution(node(3))).containsExactly(node(1), node(6));
    commitAll(g, g.get(4), List.of());
    assertAgree(g);
    assertStillWorks(g.get(3), g.get(4));
    assertStillWorks(g.get(4), g.get(3));
    // Member 3 committed nothing yet its key for the root is the same as everyone's: it can
    // commit in turn, and the path it creates is processed by all.
    commitAll(g, g.get(3), List.of());
    assertAgree(g);
  }

  @Test
  @DisplayName("§7.8 removing the rightmost members truncates the tree and an Add grows it again")
  void removingTheRightmostMemberTruncates() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(5).members());
    assertThat(g.get(0).ratchetTree().leafCount()).isEqualTo(8);
    commitAll(g, g.get(0), List.of(Proposal.Remove.of(leaf(4))));
    assertAgree(g);
    for (Group m : g.subList(0, 4)) {
      assertThat(m.ratchetTree().leafCount()).isEqualTo(4);
      assertThat(m.ratchetTree().nodeCount()).isEqualTo(7);
    }
    KeyPackageBundle eve = Fixture.bundle("eve");
    CommitResult r = commitAll(g, g.get(1), List.of(new Proposal.Add(eve.keyPackage())));
    Group e = join(r, eve);
    g.add(e);
    assertThat(e.ownLeafIndex()).isEqualTo(leaf(4));
    assertThat(e.ratchetTree().leafCount()).isEqualTo(8);
    assertAgree(g);
    assertStillWorks(e, g.get(0));
  }

  @Test
  @DisplayName("§7.8 truncation stops at the rightmost member and keeps interior blank leaves")
  void truncationKeepsInteriorBlanks() throws Exception {
    List<Group> g = Fixture.group(5).members();
    commitAll(g, g.get(0), List.of(Proposal.Remove.of(leaf(2)), Proposal.Remove.of(leaf(4))));
    assertAgree(g);
    for (int i : new int[] {0, 1, 3}) {
      RatchetTree t = g.get(i).ratchetTree();
      assertThat(t.leafCount()).isEqualTo(4);
      assertThat(t.leaf(leaf(2))).isNull();
      assertThat(t.members()).containsExactly(leaf(0), leaf(1), leaf(3));
    }
    assertStillWorks(g.get(3), g.get(1));
  }

  @Test
  @DisplayName("§7.7 §7.8 removing every member but the committer leaves a one-leaf tree that can grow again")
  void removingEveryoneElseLeavesOneLeaf() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(4).members());
    commitAll(g, g.get(0), List.of(Proposal.Remove.of(leaf(1)), Proposal.Remove.of(leaf(2)),
        Proposal.Remove.of(leaf(3))));
    Group alone = g.get(0);
    assertThat(alone.ratchetTree().leafCount()).isEqualTo(1);
    assertThat(alone.ratchetTree().nodeCount()).isEqualTo(1);
    assertThat(alone.members()).hasSize(1);
    KeyPackageBundle b = Fixture.bundle("back");
    CommitResult r = commitAll(List.of(alone), alone, List.of(new Proposal.Add(b.keyPackage())));
    Group back = join(r, b);
    assertThat(back.ownLeafIndex()).isEqualTo(leaf(1));
    assertAgree(List.of(alone, back));
    assertStillWorks(back, alone);
  }

  @Test
  @DisplayName("§7.7 Adds fill the leftmost blank leaves before the tree is extended")
  void addsFillTheLeftmostBlanks() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(6).members());
    commitAll(g, g.get(5), List.of(Proposal.Remove.of(leaf(1)), Proposal.Remove.of(leaf(3))));
    KeyPackageBundle x = Fixture.bundle("x");
    KeyPackageBundle y = Fixture.bundle("y");
    KeyPackageBundle z = Fixture.bundle("z");
    CommitResult r = commitAll(g, g.get(0), List.of(new Proposal.Add(x.keyPackage()),
        new Proposal.Add(y.keyPackage()), new Proposal.Add(z.keyPackage())));
    Group gx = join(r, x);
    Group gy = join(r, y);
    Group gz = join(r, z);
    assertThat(gx.ownLeafIndex()).isEqualTo(leaf(1));
    assertThat(gy.ownLeafIndex()).isEqualTo(leaf(3));
    assertThat(gz.ownLeafIndex()).isEqualTo(leaf(6));
    g.addAll(List.of(gx, gy, gz));
    assertAgree(g);
    assertThat(g.get(0).ratchetTree().leafCount()).isEqualTo(8);
  }

  /**
   * Eight members; member 6 removes leaf 2 (blanking nodes 5 and 3), member 0 re-keys node 3 with
   * its path, then member 4 adds x, who takes leaf 2 below the non-blank node 3 that member 4's
   * path (9, 11, 7) does not cover. The result is at index 2.
   */
  private static List<Group> withUnmergedLeaf() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(8).members());
    commitAll(g, g.get(6), List.of(Proposal.Remove.of(leaf(2))));
    commitAll(g, g.get(0), List.of());
    assertThat(g.get(0).ratchetTree().node(node(3))).isNotNull();
    assertThat(g.get(0).ratchetTree().node(node(5))).isNull();
    KeyPackageBundle x = Fixture.bundle("x");
    CommitResult r = commitAll(g, g.get(4), List.of(new Proposal.Add(x.keyPackage())));
    Group gx = join(r, x);
    assertThat(gx.ownLeafIndex()).isEqualTo(leaf(2));
    g.set(2, gx);
    return g;
  }

  @Test
  @DisplayName("§7.7 an Add lists the new leaf as unmerged at its non-blank ancestors off the committer's path")
  void addRecordsUnmergedLeaves() throws Exception {
    List<Group> g = withUnmergedLeaf();
    assertAgree(g);
    for (Group m : g) {
      RatchetTree t = m.ratchetTree();
      assertThat(t.parent(node(3)).unmergedLeaves()).containsExactly(leaf(2));
      // The root was on the committer's path: re-keyed, so nothing is unmerged there.
      assertThat(t.parent(node(7)).unmergedLeaves()).isEmpty();
      assertThat(t.resolution(node(3))).containsExactly(node(3), node(4));
    }
  }

  @Test
  @DisplayName("§7.1 §7.5 an unmerged member decrypts the next path through its leaf key; its own commit merges it")
  void unmergedMemberDecryptsThroughItsLeaf() throws Exception {
    List<Group> g = withUnmergedLeaf();
    // Member 6's path: 13, 11, 7; the root's copath child is node 3, whose resolution includes
    // x's leaf because x does not hold node 3's private key.
    commitAll(g, g.get(6), List.of());
    assertAgree(g);
    assertStillWorks(g.get(2), g.get(6));
    assertThat(g.get(2).ratchetTree().parent(node(3)).unmergedLeaves()).containsExactly(leaf(2));
    commitAll(g, g.get(2), List.of());
    assertAgree(g);
    for (Group m : g) {
      assertThat(m.ratchetTree().parent(node(3)).unmergedLeaves()).isEmpty();
    }
    assertStillWorks(g.get(3), g.get(2));
  }

  @Test
  @DisplayName("§7.9.2 §12.4.3.1 a joiner verifies parent and tree hashes of a tree with blank leaves, blank parents and unmerged leaves")
  void joinerVerifiesATreeWithBlanksAndUnmergedLeaves() throws Exception {
    List<Group> g = withUnmergedLeaf();
    commitAll(g, g.get(6), List.of(Proposal.Remove.of(leaf(5))));
    KeyPackageBundle y = Fixture.bundle("y");
    CommitResult r = commitAll(g, g.get(7), List.of(new Proposal.Add(y.keyPackage())));
    Group gy = join(r, y);
    g.add(gy);
    RatchetTree t = gy.ratchetTree();
    t.verifyParentHashes();
    assertThat(t.members()).hasSize(8);
    assertThat(gy.ownLeafIndex()).isEqualTo(leaf(5));
    boolean unmerged = false;
    boolean blankParent = false;
    for (int n = 1; n < t.nodeCount(); n += 2) {
      if (t.node(node(n)) == null) {
        blankParent = true;
      } else {
        unmerged |= !t.parent(node(n)).unmergedLeaves().isEmpty();
      }
    }
    assertThat(unmerged).isTrue();
    assertThat(blankParent).isTrue();
    assertAgree(g);
    for (Group m : g) {
      if (m.isActive()) {
        m.ratchetTree().verifyParentHashes();
      }
    }
    assertStillWorks(gy, g.get(3));
  }
}
