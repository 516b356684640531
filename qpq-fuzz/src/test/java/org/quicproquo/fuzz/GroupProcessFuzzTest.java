package org.quicproquo.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.message.MLSMessage;

/**
 * Fuzz target for the group state machine (RFC 9420 §12): bob, a member of the fixed three-member
 * {@link FuzzGroup}, is restored from his saved bytes for every input and processes the input as
 * an MLSMessage. Only {@link MlsException} subclasses may escape, and a rejected message must
 * leave {@link Group#save()} byte for byte unchanged (the library's "state unchanged on failure"
 * promise).
 *
 * <p>Seeds (under {@code GroupProcessFuzzTestInputs/process/}) are genuine messages of alice and
 * carol for bob's epoch: application data, proposals and commits, so mutations start deep inside
 * the checks.
 */
class GroupProcessFuzzTest {
  @FuzzTest(maxDuration = "45s")
  void process(byte[] input) {
    MLSMessage message;
    try {
      message = MLSMessage.fromBytes(input);
    } catch (MlsException e) {
      return;
    }
    FuzzGroup world = FuzzGroup.get();
    Group bob = world.restore(world.bobState);
    byte[] before = bob.save();
    try {
      bob.process(message);
    } catch (MlsException e) {
      assertThat(bob.save()).as("state after rejection (%s)", e).isEqualTo(before);
    }
  }
}
