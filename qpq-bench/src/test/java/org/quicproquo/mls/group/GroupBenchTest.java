package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fixtures and benchmark bodies do what their javadoc says, run once outside JMH. */
class GroupBenchTest {
  @ParameterizedTest
  @EnumSource(TreeShape.class)
  void buildsAGroupWhoseTrackedMembersAgree(TreeShape shape) throws Exception {
    SecureRandom random = new SecureRandom();
    BenchGroup g = BenchGroup.build(7, shape, random);
    Group creator = g.creator(random);
    Group receiver = Group.restore(g.receiverState(), random);

    assertThat(creator.members()).hasSize(7);
    assertThat(receiver.ownLeafIndex()).isEqualTo(g.receiverLeaf());
    assertThat(receiver.epochAuthenticator()).isEqualTo(creator.epochAuthenticator());
    // Batch add: one epoch; full: one more epoch per member after the creator.
    assertThat(creator.epoch()).isEqualTo(shape == TreeShape.FULL ? 7 : 1);
    // The build's tree-less Welcome option is not left in the benchmarked state.
    assertThat(creator.commit(java.util.List.of(new org.quicproquo.mls.message.Proposal.Add(
        BenchGroup.newMember(BenchGroup.suite(random), "x").keyPackage())))
        .groupInfo().extensions()).isNotEmpty();
  }

  @Test
  void fullTreeHasEveryParentNodeSet() throws Exception {
    BenchGroup g = BenchGroup.build(8, TreeShape.FULL, new SecureRandom());
    var tree = g.creator(new SecureRandom()).ratchetTree();
    for (int x = 1; x < tree.nodeCount(); x += 2) {
      assertThat(tree.parent(new org.quicproquo.mls.tree.NodeIndex(x))).as("node %d", x)
          .isNotNull();
    }
  }

  @Test
  void cachedGroupIsReadBack(@TempDir Path dir) throws Exception {
    SecureRandom random = new SecureRandom();
    BenchGroup built = BenchGroup.loadOrBuild(dir, 3, TreeShape.BATCH_ADDED, random);
    BenchGroup read = BenchGroup.loadOrBuild(dir, 3, TreeShape.BATCH_ADDED, random);
    assertThat(read.receiverState()).isEqualTo(built.receiverState());
    assertThat(read.creator(random).epochAuthenticator())
        .isEqualTo(built.creator(random).epochAuthenticator());
  }

  @ParameterizedTest
  @EnumSource(TreeShape.class)
  void everyBenchmarkBodyRunsTwiceFromTheSameState(TreeShape shape) throws Exception {
    GroupBench.Fixture f = new GroupBench.Fixture();
    f.size = 5;
    f.shape = shape;
    f.setUp();
    GroupBench bench = new GroupBench();
    GroupBench.CpuMeter m = new GroupBench.CpuMeter();
    for (String op : List.of("processAddCommit", "processUpdateCommit", "processRemoveCommit")) {
      GroupBench.Prepared p = new GroupBench.Prepared();
      p.prepareFor(f, GroupBench.class.getName() + "." + op);
      GroupBench.Receiver r = new GroupBench.Receiver();
      r.load(f);
      for (int i = 0; i < 2; i++) {
        r.reset();
        GroupEvent e = switch (op) {
          case "processAddCommit" -> bench.processAddCommit(p, r, m);
          case "processUpdateCommit" -> bench.processUpdateCommit(p, r, m);
          default -> bench.processRemoveCommit(p, r, m);
        };
        assertThat(e).isInstanceOf(GroupEvent.CommitApplied.class);
        assertThat(((GroupEvent.CommitApplied) e).newEpoch()).isEqualTo(f.creator.epoch() + 1);
      }
    }
    for (int i = 0; i < 2; i++) {
      assertThat(bench.createAddCommit(f, m)[1]).isNotNull();
      assertThat(bench.createUpdateCommit(f, m)[1]).isNull();
      assertThat(bench.createRemoveCommit(f, m)[0]).isNotEmpty();
    }
    assertThat(f.creator.hasPendingCommit()).isFalse();
    GroupBench.Chat c = new GroupBench.Chat();
    c.setUp(f);
    for (int i = 0; i < 3; i++) {
      assertThat(((GroupEvent.ApplicationMessage) bench.encryptDecrypt1KiB(c, m)).data())
          .isEqualTo(c.payload);
    }
    assertThat(m.ops).isEqualTo(3 * 2 + 3 * 2 + 3);
  }

  @Test
  void targetsAreTheIssues() {
    assertThat(MlsBench.targetMicros("processUpdateCommit", 1000)).hasValue(5_000);
    assertThat(MlsBench.targetMicros("processRemoveCommit", 10_000)).hasValue(50_000);
    assertThat(MlsBench.targetMicros("createAddCommit", 1000)).isEmpty();
    assertThat(MlsBench.targetMicros("encryptDecrypt1KiB", 2)).hasValue(150);
  }
}
