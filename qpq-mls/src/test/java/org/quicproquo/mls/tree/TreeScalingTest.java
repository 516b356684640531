package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.message.GroupContext;

/**
 * Sanity check that path operations on large trees touch O(log n) nodes: prints timings for a
 * full tree of 1,000 and 10,000 members, asserts only correctness (a timed test is not a
 * benchmark; see qpq-bench for those).
 */
class TreeScalingTest {
  private final CipherSuite suite = TestMembers.suite(3);

  @ParameterizedTest
  @ValueSource(ints = {1_000, 10_000})
  void pathChangeRehashesOnlyThePath(int members) throws Exception {
    Random rnd = new Random(members);
    // A few real HPKE keys reused across nodes so that encryption to copath nodes works; key
    // uniqueness is irrelevant here (validation of those nodes is not exercised).
    List<HpkeKeyPair> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      pool.add(suite.generateHpkeKeyPair());
    }
    TestMembers.Member sender = TestMembers.member(suite, "sender");
    RatchetTree tree = RatchetTree.create(suite, sender.leaf());
    for (int i = 1; i < members; i++) {
      tree.addLeaf(fakeLeaf(rnd, pool.get(i % pool.size()).publicKey()));
    }
    for (int x = 1; x < tree.nodeCount(); x += 2) {
      if (TreeMath.lastLeaf(x) < members) {
        tree.set(x, new ParentNode(pool.get(x % pool.size()).publicKey(), new byte[0], List.of()));
      }
    }
    long t0 = System.nanoTime();
    byte[] initial = tree.treeHash();
    long t1 = System.nanoTime();

    LeafIndex target = LeafIndex.of(members / 2);
    tree.updateLeaf(target, fakeLeaf(rnd, pool.get(0).publicKey()));
    long t2 = System.nanoTime();
    byte[] afterUpdate = tree.treeHash();
    long t3 = System.nanoTime();
    assertThat(afterUpdate).isNotEqualTo(initial);

    byte[] groupId = {1};
    RatchetTree staged = tree.copy();
    long t4 = System.nanoTime();
    TreeKem.Prepared prepared = TreeKem.prepare(staged, LeafIndex.of(0),
        staged.leaf(LeafIndex.of(0)), sender.sig().privateKey(), groupId, List.of());
    UpdatePath path = prepared.encrypt(new GroupContext(suite.id(), groupId, 1,
        staged.treeHash(), new byte[0], List.of()));
    long t5 = System.nanoTime();

    RatchetTree receiver = tree.copy();
    long t6 = System.nanoTime();
    TreeKem.merge(receiver, LeafIndex.of(0), path,
        new ValidationContext(groupId, RequiredCapabilities.NONE, null), List.of());
    byte[] receiverHash = receiver.treeHash();
    long t7 = System.nanoTime();
    assertThat(receiverHash).isEqualTo(staged.treeHash());
    assertThat(RatchetTree.decode(suite, receiver.encode()).treeHash()).isEqualTo(receiverHash);

    System.out.printf("tree scaling, %d members: full hash %.1f ms, rehash after update %.3f ms,"
        + " copy %.3f ms, prepare+encrypt path (%d nodes) %.1f ms, merge+rehash %.1f ms%n",
        members, ms(t1 - t0), ms(t3 - t2), ms(t6 - t5), path.nodes().size(), ms(t5 - t4),
        ms(t7 - t6));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static LeafNode fakeLeaf(Random rnd, byte[] encryptionKey) {
    byte[] sig = new byte[32];
    rnd.nextBytes(sig);
    byte[] signature = new byte[64];
    rnd.nextBytes(signature);
    return new LeafNode(encryptionKey, sig, Credential.basic(sig), TestMembers.CAPS,
        LeafNodeSource.KEY_PACKAGE, new Lifetime(0, -1L), null, List.of(), signature);
  }
}
