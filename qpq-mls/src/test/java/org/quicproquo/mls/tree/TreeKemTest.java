package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CryptoException;
import org.quicproquo.mls.message.GroupContext;

class TreeKemTest {
  private final CipherSuite suite = TestMembers.suite(11);
  private final byte[] groupId = {7, 7, 7};
  private final ValidationContext vctx =
      new ValidationContext(groupId, RequiredCapabilities.NONE, null);

  private GroupContext ctx(RatchetTree t, long epoch) {
    return new GroupContext(suite.id(), groupId, epoch, t.treeHash(), new byte[] {1}, List.of());
  }

  /** Group state of one member in the test: its own copy of the tree and its keys. */
  private static final class Client {
    final TestMembers.Member member;
    RatchetTree tree;
    TreePrivateKeys keys;

    Client(TestMembers.Member member) {
      this.member = member;
    }
  }

  @Test
  void committerAndAllReceiversAgreeAndANewMemberJoinsWithItsPathSecret() throws Exception {
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      clients.add(new Client(TestMembers.member(suite, "c" + i)));
    }
    RatchetTree base = RatchetTree.create(suite, clients.get(0).member.leaf());
    for (int i = 1; i < 5; i++) {
      base.addLeaf(clients.get(i).member.leaf());
    }
    for (int i = 0; i < 5; i++) {
      Client c = clients.get(i);
      c.tree = base.copy();
      c.keys = TreePrivateKeys.ofLeaf(LeafIndex.of(i), c.member.enc().privateKey());
    }

    // Epoch 1: leaf 2 commits and adds client 5 in the same commit (excluded from the path).
    Client committer = clients.get(2);
    RatchetTree staged = committer.tree.copy();
    LeafIndex joinerLeaf = staged.addLeaf(clients.get(5).member.leaf());
    TreeKem.Prepared prepared = TreeKem.prepare(staged, LeafIndex.of(2),
        staged.leaf(LeafIndex.of(2)), committer.member.sig().privateKey(), groupId,
        List.of(joinerLeaf));
    GroupContext gc = ctx(staged, 1);
    UpdatePath path = prepared.encrypt(gc);
    byte[] wire = path.toBytes();
    staged.verifyParentHashes();
    TreeValidator.validateTree(staged, vctx);
    committer.tree = staged;
    committer.keys = prepared.privateKeys();
    assertThat(committer.keys.matches(staged)).isTrue();

    for (int i = 0; i < 5; i++) {
      if (i == 2) {
        continue;
      }
      Client c = clients.get(i);
      RatchetTree mine = c.tree.copy();
      mine.addLeaf(clients.get(5).member.leaf());
      TreeKem.Merged merged = TreeKem.merge(mine, LeafIndex.of(2),
          TlsReader.decodeAll(wire, UpdatePath::decode), vctx, List.of(joinerLeaf));
      assertThat(mine.treeHash()).isEqualTo(staged.treeHash());
      TreeKem.Received got = merged.decrypt(ctx(mine, 1), c.keys);
      assertThat(got.commitSecret()).isEqualTo(prepared.commitSecret());
      assertThat(got.privateKeys().matches(mine)).isTrue();
      c.tree = mine;
      c.keys = got.privateKeys();
    }

    TreeKem.PathSecret forJoiner = prepared.pathSecretFor(joinerLeaf);
    Client joiner = clients.get(5);
    joiner.tree = RatchetTree.decode(suite, staged.encode());
    joiner.keys = TreePrivateKeys.fromPathSecret(joiner.tree, joinerLeaf,
        joiner.member.enc().privateKey(), forJoiner.node(), forJoiner.secret());
    assertThat(joiner.keys.matches(joiner.tree)).isTrue();
    assertThat(joiner.keys.nodes()).contains(NodeIndex.of(7));
    TreePrivateKeys restored = TreePrivateKeys.fromBytes(joiner.keys.toBytes());
    assertThat(restored.nodes()).isEqualTo(joiner.keys.nodes());
    assertThat(restored.matches(joiner.tree)).isTrue();
    assertThatThrownBy(() -> TreePrivateKeys.fromBytes(
        TreePrivateKeys.ofLeaf(LeafIndex.of(0), new byte[] {1}).with(NodeIndex.of(5),
            new byte[] {2}).toBytes())).isInstanceOf(org.quicproquo.mls.codec.DecodeException.class);

    // Epoch 2: the joiner commits; everyone, including the original committer, follows.
    RatchetTree staged2 = joiner.tree.copy();
    TreeKem.Prepared p2 = TreeKem.prepare(staged2, joinerLeaf, staged2.leaf(joinerLeaf),
        joiner.member.sig().privateKey(), groupId, List.of());
    GroupContext gc2 = ctx(staged2, 2);
    UpdatePath path2 = p2.encrypt(gc2);
    for (int i = 0; i < 5; i++) {
      Client c = clients.get(i);
      RatchetTree mine = c.tree.copy();
      TreeKem.Received got = TreeKem.merge(mine, joinerLeaf, path2, vctx, List.of())
          .decrypt(ctx(mine, 2), c.keys);
      assertThat(got.commitSecret()).as("client %d", i).isEqualTo(p2.commitSecret());
    }
  }

  @Test
  void externalJoinerIsPlacedAtLeftmostBlankLeafAndEveryoneAgrees() throws Exception {
    List<TestMembers.Member> ms = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ms.add(TestMembers.member(suite, "e" + i));
    }
    RatchetTree base = RatchetTree.create(suite, ms.get(0).leaf());
    base.addLeaf(ms.get(1).leaf());
    base.addLeaf(ms.get(2).leaf());
    base.removeLeaf(LeafIndex.of(1));
    TestMembers.Member joiner = ms.get(3);

    RatchetTree joinerTree = base.copy();
    LeafIndex me = joinerTree.addLeaf(joiner.leaf());
    assertThat(me).isEqualTo(LeafIndex.of(1));
    TreeKem.Prepared p = TreeKem.prepare(joinerTree, me, joiner.leaf(),
        joiner.sig().privateKey(), groupId, List.of());
    UpdatePath path = p.encrypt(ctx(joinerTree, 5));

    for (int i : new int[] {0, 2}) {
      RatchetTree mine = base.copy();
      TreeKem.Merged merged = TreeKem.mergeExternal(mine, path, vctx, List.of());
      assertThat(merged.sender()).isEqualTo(me);
      assertThat(mine.treeHash()).isEqualTo(joinerTree.treeHash());
      TreeKem.Received got = merged.decrypt(ctx(mine, 5),
          TreePrivateKeys.ofLeaf(LeafIndex.of(i), ms.get(i).enc().privateKey()));
      assertThat(got.commitSecret()).isEqualTo(p.commitSecret());
    }
    TreeValidator.validateTree(joinerTree, vctx);
  }

  @Test
  void singleMemberPathHasNoNodesButACommitSecret() throws Exception {
    TestMembers.Member a = TestMembers.member(suite, "solo");
    RatchetTree t = RatchetTree.create(suite, a.leaf());
    TreeKem.Prepared p = TreeKem.prepare(t, LeafIndex.of(0), t.leaf(LeafIndex.of(0)),
        a.sig().privateKey(), groupId, List.of());
    UpdatePath path = p.encrypt(ctx(t, 1));
    assertThat(path.nodes()).isEmpty();
    assertThat(p.commitSecret()).hasSize(suite.hashLength());
    assertThat(t.leaf(LeafIndex.of(0)).verifySignature(suite, groupId, LeafIndex.of(0))).isTrue();
  }

  @Test
  void tamperedOrMisdirectedPathsAreRejected() throws Exception {
    List<TestMembers.Member> ms = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ms.add(TestMembers.member(suite, "t" + i));
    }
    RatchetTree base = RatchetTree.create(suite, ms.get(0).leaf());
    for (int i = 1; i < 4; i++) {
      base.addLeaf(ms.get(i).leaf());
    }
    RatchetTree staged = base.copy();
    TreeKem.Prepared p = TreeKem.prepare(staged, LeafIndex.of(0), staged.leaf(LeafIndex.of(0)),
        ms.get(0).sig().privateKey(), groupId, List.of());
    UpdatePath good = p.encrypt(ctx(staged, 1));

    List<UpdatePathNode> swapped = new ArrayList<>(good.nodes());
    swapped.set(1, new UpdatePathNode(suite.generateHpkeKeyPair().publicKey(),
        swapped.get(1).encryptedPathSecret()));
    assertThatThrownBy(() -> TreeKem.merge(base.copy(), LeafIndex.of(0),
        new UpdatePath(good.leafNode(), swapped), vctx, List.of()))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("parent_hash");

    assertThatThrownBy(() -> TreeKem.merge(base.copy(), LeafIndex.of(0),
        new UpdatePath(good.leafNode(), good.nodes().subList(0, 1)), vctx, List.of()))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("filtered direct path");

    assertThatThrownBy(() -> TreeKem.merge(base.copy(), LeafIndex.of(1), good, vctx, List.of()))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("signature");

    RatchetTree mine = base.copy();
    TreeKem.Merged merged = TreeKem.merge(mine, LeafIndex.of(0), good, vctx, List.of());
    GroupContext wrong = new GroupContext(suite.id(), groupId, 99, mine.treeHash(), new byte[] {1},
        List.of());
    assertThatThrownBy(() -> merged.decrypt(wrong,
        TreePrivateKeys.ofLeaf(LeafIndex.of(3), ms.get(3).enc().privateKey())))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> merged.decrypt(ctx(mine, 1),
        TreePrivateKeys.ofLeaf(LeafIndex.of(3), ms.get(2).enc().privateKey())))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> merged.decrypt(ctx(mine, 1),
        TreePrivateKeys.ofLeaf(LeafIndex.of(3), ms.get(3).enc().privateKey())
            .without(List.of(NodeIndex.of(6)))))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("no private key");
    assertThat(merged.decrypt(ctx(mine, 1),
        TreePrivateKeys.ofLeaf(LeafIndex.of(3), ms.get(3).enc().privateKey())).commitSecret())
        .isEqualTo(p.commitSecret());
  }

  @Test
  void treeWithTamperedParentHashFailsValidation() throws Exception {
    List<TestMembers.Member> ms = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ms.add(TestMembers.member(suite, "v" + i));
    }
    RatchetTree t = RatchetTree.create(suite, ms.get(0).leaf());
    t.addLeaf(ms.get(1).leaf());
    t.addLeaf(ms.get(2).leaf());
    TreeKem.prepare(t, LeafIndex.of(2), t.leaf(LeafIndex.of(2)), ms.get(2).sig().privateKey(),
        groupId, List.of());
    TreeValidator.validateTree(t, vctx);
    ParentNode root = t.parent(NodeIndex.of(3));
    t.set(3, new ParentNode(root.encryptionKey(), new byte[] {1, 2, 3}, root.unmergedLeaves()));
    assertThatThrownBy(() -> TreeValidator.validateTree(t, vctx))
        .isInstanceOf(InvalidTreeException.class).hasMessageContaining("parent-hash");
  }
}
