package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.Welcome;

/**
 * Corrupted messages (bit flips, truncation, byte insertion) never escape as anything but an
 * {@link MlsException}, and never change the receiving group (DESIGN invariant 3).
 */
class GroupMalformedInputTest {
  private static final int MUTATIONS_PER_MESSAGE = 150;

  private static byte[] mutate(byte[] in, Random rnd) {
    byte[] b = in.clone();
    switch (rnd.nextInt(3)) {
      case 0 -> {
        int flips = 1 + rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      default -> {
        int at = rnd.nextInt(b.length);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) rnd.nextInt(256);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
      }
    }
  }

  @Test
  void corruptedGroupMessagesAreRejectedWithoutChangingState() throws Exception {
    for (boolean encrypted : new boolean[] {false, true}) {
      GroupOptions opts = new GroupOptions(encrypted, true, 0);
      List<Group> g = Clients.group(3, opts);
      Group alice = g.get(0);
      Group bob = g.get(1);
      List<byte[]> samples = new ArrayList<>();
      samples.add(alice.encrypt(new byte[] {1, 2, 3}).toBytes());
      samples.add(alice.proposeUpdate().toBytes());
      samples.add(alice.proposeAdd(Clients.bundle("x").keyPackage()).toBytes());
      samples.add(g.get(2).commit(List.of()).commit().toBytes());
      Random rnd = new Random(42);
      byte[] before = bob.save();
      int decoded = 0;
      for (byte[] sample : samples) {
        for (int i = 0; i < MUTATIONS_PER_MESSAGE; i++) {
          byte[] bad = mutate(sample, rnd);
          try {
            bob.process(MLSMessage.fromBytes(bad));
            // A mutation that leaves the message valid (e.g. in ignored padding) may succeed;
            // then restore the baseline for the next attempt.
            bob = Group.restore(before, new java.security.SecureRandom());
          } catch (MlsException expected) {
            decoded++;
            assertThat(bob.save()).isEqualTo(before);
          } catch (RuntimeException e) {
            fail("mutation of sample " + samples.indexOf(sample) + " escaped as " + e, e);
          }
        }
      }
      assertThat(decoded).isGreaterThan(MUTATIONS_PER_MESSAGE);
    }
  }

  @Test
  void corruptedWelcomesAreRejected() throws Exception {
    Group alice = Clients.create("alice", GroupOptions.defaults());
    KeyPackageBundle bob = Clients.bundle("bob");
    CommitResult r = alice.commit(List.of(new Proposal.Add(bob.keyPackage())));
    byte[] welcome = MLSMessage.of(r.welcome().orElseThrow()).toBytes();
    Random rnd = new Random(7);
    for (int i = 0; i < MUTATIONS_PER_MESSAGE; i++) {
      byte[] bad = mutate(welcome, rnd);
      try {
        Welcome w = MLSMessage.fromBytes(bad).as(Welcome.class);
        Group.join(Clients.SUITE, w, bob, Optional.empty(), ExternalPsks.none(),
            GroupOptions.defaults());
      } catch (MlsException expected) {
        // rejected, as it must be (or, rarely, a mutation that kept it valid)
      } catch (RuntimeException e) {
        fail("welcome mutation escaped as " + e, e);
      }
    }
  }
}
