package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.crypto.CipherSuite;

/**
 * Mutated and truncated encodings of a real tree must either decode or fail with
 * {@link DecodeException}; what decodes must either validate or fail with
 * {@link InvalidTreeException}. Nothing else may escape (security invariant 3).
 */
class TreeDecodingRobustnessTest {
  private final CipherSuite suite = TestMembers.suite(9);

  @Test
  void mutatedTreesFailOnlyWithTypedExceptions() throws Exception {
    byte[] groupId = {4, 2};
    List<TestMembers.Member> ms = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ms.add(TestMembers.member(suite, "f" + i));
    }
    RatchetTree t = RatchetTree.create(suite, ms.get(0).leaf());
    for (int i = 1; i < 5; i++) {
      t.addLeaf(ms.get(i).leaf());
    }
    TreeKem.prepare(t, LeafIndex.of(1), t.leaf(LeafIndex.of(1)), ms.get(1).sig().privateKey(),
        groupId, List.of());
    t.addLeaf(ms.get(5).leaf()); // leaves an unmerged leaf on the path
    ValidationContext ctx = new ValidationContext(groupId, RequiredCapabilities.NONE, null);
    TreeValidator.validateTree(t, ctx);
    byte[] good = t.encode();

    Random rnd = new Random(42);
    int decoded = 0;
    int valid = 0;
    for (int round = 0; round < 1500; round++) {
      byte[] bad = good.clone();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextInt(4) == 0) {
        bad = java.util.Arrays.copyOf(bad, rnd.nextInt(bad.length));
      }
      RatchetTree parsed;
      try {
        parsed = RatchetTree.decode(suite, bad);
      } catch (DecodeException e) {
        continue;
      }
      decoded++;
      parsed.treeHash();
      for (int x = 0; x < parsed.nodeCount(); x++) {
        parsed.resolution(NodeIndex.of(x));
      }
      try {
        TreeValidator.validateTree(parsed, ctx);
        valid++;
      } catch (InvalidTreeException e) {
        // expected for nearly every mutation
      }
      try {
        parsed.verifyParentHashes();
      } catch (InvalidTreeException e) {
        // also fine on its own, without the unmerged-leaf checks of validateTree first
      }
    }
    // Sanity: the fuzzing reached the validation layer, and the mutations were caught.
    assertThat(decoded).isGreaterThan(100);
    assertThat(valid).isLessThan(decoded);
  }
}
