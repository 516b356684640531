package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;

class GroupPersistenceTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void restoredGroupContinuesWithCachedProposalsAndPendingCommit() throws Exception {
    GroupOptions opts = new GroupOptions(true, true, 8);
    List<Group> g = Clients.group(3, opts);
    Group alice = g.get(0);
    Group bob = g.get(1);
    Group carol = g.get(2);
    // bob has a cached proposal from carol and a pending commit of his own when saved.
    MLSMessage update = carol.proposeUpdate();
    bob.process(MLSMessage.fromBytes(update.toBytes()));
    alice.process(MLSMessage.fromBytes(update.toBytes()));
    CommitResult pending = bob.commit(List.of());

    byte[] saved = bob.save();
    Group restored = Group.restore(saved, RANDOM);
    assertThat(restored.save()).isEqualTo(saved);
    assertThat(restored.hasPendingCommit()).isTrue();
    assertThat(restored.epochAuthenticator()).isEqualTo(bob.epochAuthenticator());
    assertThat(restored.members()).isEqualTo(bob.members());

    restored.mergePendingCommit();
    alice.process(MLSMessage.fromBytes(pending.commit().toBytes()));
    carol.process(MLSMessage.fromBytes(pending.commit().toBytes()));
    assertThat(restored.epochAuthenticator()).isEqualTo(alice.epochAuthenticator())
        .isEqualTo(carol.epochAuthenticator());
    MLSMessage m = restored.encrypt(new byte[] {42});
    GroupEvent e = alice.process(MLSMessage.fromBytes(m.toBytes()));
    assertThat(((GroupEvent.ApplicationMessage) e).data()).containsExactly(42);
  }

  @Test
  void restoreIsStrict() throws Exception {
    byte[] saved = Clients.group(2, GroupOptions.defaults()).get(1).save();
    byte[] trailing = Arrays.copyOf(saved, saved.length + 1);
    assertThatThrownBy(() -> Group.restore(trailing, RANDOM))
        .isInstanceOf(GroupStateException.class);
    for (int cut : new int[] {0, 1, 2, saved.length / 2, saved.length - 1}) {
      byte[] truncated = Arrays.copyOf(saved, cut);
      assertThatThrownBy(() -> Group.restore(truncated, RANDOM))
          .isInstanceOf(GroupStateException.class);
    }
    byte[] badFormat = saved.clone();
    badFormat[1] = 9;
    assertThatThrownBy(() -> Group.restore(badFormat, RANDOM))
        .isInstanceOf(GroupStateException.class);
  }

  @Test
  void savedStateHoldsNoConsumedKeysNorPastEpochSecrets() throws Exception {
    List<Group> g = Clients.group(2, GroupOptions.defaults());
    Group alice = g.get(0);
    Group bob = g.get(1);

    // The key alice's first application message uses, derived from a throw-away copy.
    SecretTree probe = bob.state().secretTree().copy();
    RatchetKey used = probe.receiveKey(new LeafIndex(0), RatchetType.APPLICATION, 0);
    MLSMessage m = alice.encrypt(new byte[] {7});
    bob.process(MLSMessage.fromBytes(m.toBytes()));
    byte[] afterMessage = bob.save();
    assertThat(contains(afterMessage, used.key())).isFalse();
    assertThat(contains(afterMessage, used.nonce())).isFalse();
    // A restored copy cannot open the message again.
    Group restored = Group.restore(afterMessage, RANDOM);
    assertThatThrownBy(() -> restored.process(MLSMessage.fromBytes(m.toBytes())))
        .isInstanceOf(MessageRejectedException.class);

    // After a commit, nothing of the previous epoch's key schedule remains except what reading
    // its late application messages needs (sender data secret and secret tree), and that too is
    // gone once the epoch falls out of the retained past epochs.
    GroupState before = bob.state();
    for (int i = 0; i <= GroupState.PAST_EPOCHS_KEPT; i++) {
      CommitResult r = alice.commit(List.of());
      bob.process(MLSMessage.fromBytes(r.commit().toBytes()));
      alice.mergePendingCommit();
      byte[] afterCommit = bob.save();
      for (byte[] secret : List.of(before.secrets().initSecret(),
          before.secrets().exporterSecret(), before.secrets().membershipKey(),
          before.secrets().confirmationKey(), before.secrets().epochAuthenticator())) {
        assertThat(contains(afterCommit, secret)).isFalse();
      }
      assertThat(contains(afterCommit, before.secrets().senderDataSecret()))
          .isEqualTo(i < GroupState.PAST_EPOCHS_KEPT);
    }
    // ... and the encryption secret is never stored, not even for the current epoch.
    assertThat(bob.state().secrets().encryptionSecret()).isEmpty();
    assertThat(bob.state().secrets().joinerSecret()).isEmpty();
  }
}
