package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.crypto.CipherSuite;

class RatchetTreeTest {
  private final CipherSuite suite = TestMembers.suite(7);

  private List<LeafNode> leaves(int n) throws Exception {
    List<LeafNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TestMembers.member(suite, "m" + i).leaf());
    }
    return out;
  }

  @Test
  void addFillsLeftmostBlankThenDoublesAndRemoveTruncates() throws Exception {
    List<LeafNode> l = leaves(6);
    RatchetTree t = RatchetTree.create(suite, l.get(0));
    assertThat(t.leafCount()).isEqualTo(1);
    assertThat(t.addLeaf(l.get(1))).isEqualTo(LeafIndex.of(1));
    assertThat(t.addLeaf(l.get(2))).isEqualTo(LeafIndex.of(2));
    assertThat(t.leafCount()).isEqualTo(4);
    assertThat(t.addLeaf(l.get(3))).isEqualTo(LeafIndex.of(3));
    t.removeLeaf(LeafIndex.of(1));
    assertThat(t.addLeaf(l.get(4))).isEqualTo(LeafIndex.of(1));
    t.removeLeaf(LeafIndex.of(3));
    assertThat(t.leafCount()).isEqualTo(4);
    t.removeLeaf(LeafIndex.of(2));
    assertThat(t.leafCount()).isEqualTo(2);
    assertThat(t.members()).containsExactly(LeafIndex.of(0), LeafIndex.of(1));
    assertThat(t.memberCount()).isEqualTo(2);
  }

  @Test
  void addRecordsUnmergedLeafOnNonBlankAncestors() throws Exception {
    List<LeafNode> l = leaves(3);
    RatchetTree t = RatchetTree.create(suite, l.get(0));
    t.addLeaf(l.get(1));
    t.set(1, new ParentNode(suite.generateHpkeKeyPair().publicKey(), new byte[0], List.of()));
    LeafIndex added = t.addLeaf(l.get(2));
    assertThat(added).isEqualTo(LeafIndex.of(2));
    // node 1 is not an ancestor of leaf 2; the new root 3 is blank.
    assertThat(t.parent(NodeIndex.of(1)).unmergedLeaves()).isEmpty();
    t.set(3, new ParentNode(suite.generateHpkeKeyPair().publicKey(), new byte[0], List.of()));
    t.set(5, new ParentNode(suite.generateHpkeKeyPair().publicKey(), new byte[0], List.of()));
    LeafIndex fourth = t.addLeaf(TestMembers.member(suite, "x").leaf());
    assertThat(t.parent(NodeIndex.of(5)).unmergedLeaves()).containsExactly(fourth);
    assertThat(t.parent(NodeIndex.of(3)).unmergedLeaves()).containsExactly(fourth);
    assertThat(t.resolution(NodeIndex.of(3)))
        .containsExactly(NodeIndex.of(3), NodeIndex.of(6));
  }

  @Test
  void cachedTreeHashEqualsHashOfFreshlyDecodedTreeAfterRandomOperations() throws Exception {
    List<LeafNode> pool = leaves(40);
    RatchetTree t = RatchetTree.create(suite, pool.get(0));
    Random rnd = new Random(1);
    int next = 1;
    for (int step = 0; step < 60; step++) {
      List<LeafIndex> members = t.members();
      if (next < pool.size() && (members.size() < 3 || rnd.nextBoolean())) {
        t.addLeaf(pool.get(next++));
      } else {
        t.removeLeaf(members.get(1 + rnd.nextInt(members.size() - 1)));
      }
      t.treeHash(); // populate the cache so later steps exercise invalidation
      RatchetTree fresh = RatchetTree.decode(suite, t.encode());
      assertThat(t.treeHash()).as("step %d", step).isEqualTo(fresh.treeHash());
      assertThat(fresh.encode()).isEqualTo(t.encode());
    }
  }

  @Test
  void copyIsIndependent() throws Exception {
    List<LeafNode> l = leaves(3);
    RatchetTree t = RatchetTree.create(suite, l.get(0));
    t.addLeaf(l.get(1));
    byte[] before = t.treeHash();
    RatchetTree c = t.copy();
    c.addLeaf(l.get(2));
    assertThat(t.treeHash()).isEqualTo(before);
    assertThat(t.memberCount()).isEqualTo(2);
    assertThat(c.memberCount()).isEqualTo(3);
  }

  @Test
  void copiesOfALargeTreeStayIndependentThroughRemovesTruncationAndRegrowth() throws Exception {
    List<LeafNode> l = leaves(150);
    RatchetTree t = RatchetTree.create(suite, l.get(0));
    for (int i = 1; i < 140; i++) {
      t.addLeaf(l.get(i));
    }
    byte[] encoded = t.encode();
    byte[] hash = t.treeHash();
    RatchetTree c = t.copy();
    for (int i = 139; i >= 60; i--) {
      c.removeLeaf(new LeafIndex(i));
    }
    c.removeLeaf(new LeafIndex(5));
    for (int i = 140; i < 150; i++) {
      c.addLeaf(l.get(i));
    }
    RatchetTree d = c.copy();
    d.addLeaf(l.get(5));
    // The original: unchanged content, hashes and indexes.
    assertThat(t.encode()).isEqualTo(encoded);
    assertThat(t.treeHash()).isEqualTo(hash);
    assertThat(t.memberCount()).isEqualTo(140);
    assertThat(t.leafWithSignatureKey(l.get(100).signatureKey())).contains(new LeafIndex(100));
    // The copies: hashes and indexes agree with a tree decoded from scratch.
    for (RatchetTree x : List.of(c, d)) {
      RatchetTree fresh = RatchetTree.decode(suite, x.encode());
      assertThat(x.treeHash()).isEqualTo(fresh.treeHash());
      assertThat(x.memberCount()).isEqualTo(fresh.memberCount());
      assertThat(x.members()).isEqualTo(fresh.members());
    }
    assertThat(c.leafWithSignatureKey(l.get(100).signatureKey())).isEmpty();
    assertThat(c.leafWithSignatureKey(l.get(5).signatureKey())).isEmpty();
    assertThat(d.leafWithSignatureKey(l.get(5).signatureKey())).isPresent();
    assertThat(c.leafWithEncryptionKey(l.get(145).encryptionKey())).isPresent();
    assertThat(t.leafWithEncryptionKey(l.get(145).encryptionKey())).isEmpty();
  }

  @Test
  void decodeRejectsMisplacedNodesAndTrailingBlanks() throws Exception {
    LeafNode a = leaves(1).get(0);
    ParentNode p = new ParentNode(new byte[] {1}, new byte[0], List.of());
    List<Node> misplaced = new ArrayList<>();
    misplaced.add(p);
    assertThatThrownBy(() -> RatchetTree.fromNodes(suite, misplaced))
        .isInstanceOf(DecodeException.class);
    List<Node> trailing = new ArrayList<>();
    trailing.add(a);
    trailing.add(null);
    assertThatThrownBy(() -> RatchetTree.fromNodes(suite, trailing))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> RatchetTree.decode(suite, new byte[] {1, 5}))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void validatorRejectsDuplicateKeysAndUnsupportedCredential() throws Exception {
    TestMembers.Member a = TestMembers.member(suite, "a");
    TestMembers.Member b = TestMembers.member(suite, "b");
    RatchetTree t = RatchetTree.create(suite, a.leaf());
    ValidationContext ctx = new ValidationContext(new byte[] {1}, RequiredCapabilities.NONE, null);
    TreeValidator.validateLeaf(t, LeafIndex.of(1), b.leaf(), LeafNodeSource.KEY_PACKAGE, ctx);
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), a.leaf(),
        LeafNodeSource.KEY_PACKAGE, ctx)).isInstanceOf(InvalidTreeException.class)
        .hasMessageContaining("already used");
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), b.leaf(),
        LeafNodeSource.UPDATE, ctx)).hasMessageContaining("leaf_node_source");
    LeafNode sameKeyUpdate = a.leaf().withSource(LeafNodeSource.UPDATE, null, null)
        .sign(suite, a.sig().privateKey(), new byte[] {1}, LeafIndex.of(0));
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(0), sameKeyUpdate,
        LeafNodeSource.UPDATE, ctx)).hasMessageContaining("keeps the current encryption_key");
    LeafNode freshKeyUpdate = a.leaf().withEncryptionKey(suite.generateHpkeKeyPair().publicKey())
        .withSource(LeafNodeSource.UPDATE, null, null)
        .sign(suite, a.sig().privateKey(), new byte[] {1}, LeafIndex.of(0));
    TreeValidator.validateLeaf(t, LeafIndex.of(0), freshKeyUpdate, LeafNodeSource.UPDATE, ctx);
    LeafNode x509 = new LeafNode(b.leaf().encryptionKey(), b.leaf().signatureKey(),
        new Credential.X509(List.of(new byte[] {1})),
        new Capabilities(List.of(1), List.of(1), List.of(), List.of(), List.of(1, 2)),
        LeafNodeSource.KEY_PACKAGE, new Lifetime(0, -1L), null, List.of(), new byte[0])
        .sign(suite, b.sig().privateKey(), null, null);
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), x509,
        LeafNodeSource.KEY_PACKAGE, ctx)).isInstanceOf(InvalidTreeException.class)
        .hasMessageContaining("x509");
    RequiredCapabilities needs = new RequiredCapabilities(List.of(0xff00), List.of(), List.of());
    TreeValidator.checkAllMembersSupport(t, RequiredCapabilities.NONE, List.of(0x0002));
    assertThatThrownBy(() -> TreeValidator.checkAllMembersSupport(t, needs, List.of()))
        .isInstanceOf(InvalidTreeException.class);
    assertThatThrownBy(() -> TreeValidator.checkAllMembersSupport(t, RequiredCapabilities.NONE,
        List.of(0xff01))).hasMessageContaining("65281");
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), b.leaf(),
        LeafNodeSource.KEY_PACKAGE, new ValidationContext(new byte[] {1}, needs, null)))
        .hasMessageContaining("required_capabilities");
    LeafNode tampered = new LeafNode(b.leaf().encryptionKey(), b.leaf().signatureKey(),
        Credential.basic(new byte[] {9}), b.leaf().capabilities(), LeafNodeSource.KEY_PACKAGE,
        b.leaf().lifetime(), null, List.of(), b.leaf().signature());
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), tampered,
        LeafNodeSource.KEY_PACKAGE, ctx)).hasMessageContaining("signature");
    assertThatThrownBy(() -> TreeValidator.validateLeaf(t, LeafIndex.of(1), b.leaf(),
        LeafNodeSource.KEY_PACKAGE, new ValidationContext(new byte[] {1},
            RequiredCapabilities.NONE, java.time.Instant.ofEpochSecond(-5))))
        .hasMessageContaining("lifetime");
  }
}
