package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.tree.LeafIndex;

class ForwardSecrecyReportTest {
  private static final LeafIndex ALICE = new LeafIndex(0);
  private static final LeafIndex BOB = new LeafIndex(1);

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

  /** The key of {@code generation} of {@code sender}'s application ratchet, from a throw-away copy. */
  private static RatchetKey keyOf(Group receiver, LeafIndex sender, long generation)
      throws Exception {
    return receiver.state().secretTree().copy()
        .receiveKey(sender, RatchetType.APPLICATION, generation);
  }

  private static SecretTree.RatchetState application(ForwardSecrecyReport.RetainedEpoch e,
      LeafIndex leaf) {
    return e.ratchets().stream()
        .filter(r -> r.leaf().equals(leaf) && r.type() == RatchetType.APPLICATION)
        .findFirst().orElseThrow();
  }

  @Test
  void consumedKeysAreGoneAndSkippedOnesAreListedAsRetained() throws Exception {
    List<Group> g = Clients.group(2, GroupOptions.defaults());
    Group alice = g.get(0);
    Group bob = g.get(1);
    RatchetKey first = keyOf(bob, ALICE, 0);
    RatchetKey skipped = keyOf(bob, ALICE, 1);
    RatchetKey third = keyOf(bob, ALICE, 2);
    MLSMessage m0 = alice.encrypt(new byte[] {0});
    alice.encrypt(new byte[] {1}); // never delivered: bob keeps its key for out-of-order delivery
    MLSMessage m2 = alice.encrypt(new byte[] {2});
    bob.process(MLSMessage.fromBytes(m0.toBytes()));
    bob.process(MLSMessage.fromBytes(m2.toBytes()));

    ForwardSecrecyReport report = bob.forwardSecrecyReport();
    assertThat(report.epoch()).isEqualTo(bob.epoch());
    ForwardSecrecyReport.RetainedEpoch current = report.retainedEpochs().get(0);
    assertThat(current.retention()).isEqualTo(ForwardSecrecyReport.Retention.CURRENT);
    assertThat(current.encryptionSecretHeld()).isFalse();
    SecretTree.RatchetState fromAlice = application(current, ALICE);
    assertThat(fromAlice.nextGeneration()).isEqualTo(3);
    assertThat(fromAlice.retainedGenerations()).containsExactly(1L);
    assertThat(report.retainedKeyCount()).isEqualTo(1);
    assertThat(report.deletedSecretsChecked()).isEqualTo(2);
    assertThat(report.deletedSecretsAbsent()).isTrue();

    // The same, checked independently of the report: consumed keys are not in the saved state,
    // the retained one is (which shows the search would find a key if it were there).
    byte[] saved = bob.save();
    assertThat(contains(saved, first.key())).isFalse();
    assertThat(contains(saved, third.key())).isFalse();
    assertThat(contains(saved, skipped.key())).isTrue();

    // The sender deleted the keys it used too.
    ForwardSecrecyReport sent = alice.forwardSecrecyReport();
    // three content keys, plus the three secrets of epoch 0 that alice left by adding bob
    assertThat(sent.deletedSecretsChecked()).isEqualTo(6);
    assertThat(sent.deletedSecretsAbsent()).isTrue();
    assertThat(application(sent.retainedEpochs().get(0), ALICE).retainedGenerations()).isEmpty();
    assertThat(contains(alice.save(), skipped.key())).isFalse();
  }

  @Test
  void afterAnEpochChangeOnlyTheLateMessageWindowOfThePastEpochRemains() throws Exception {
    List<Group> g = Clients.group(2, GroupOptions.defaults());
    Group alice = g.get(0);
    Group bob = g.get(1);
    MLSMessage m = alice.encrypt(new byte[] {1});
    RatchetKey consumed = keyOf(bob, ALICE, 0);
    bob.process(MLSMessage.fromBytes(m.toBytes()));
    long oldEpoch = bob.epoch();
    byte[] oldInit = bob.state().secrets().initSecret();
    byte[] oldExporter = bob.state().secrets().exporterSecret();

    CommitResult r = alice.commit(List.of());
    bob.process(MLSMessage.fromBytes(r.commit().toBytes()));
    alice.mergePendingCommit();

    ForwardSecrecyReport report = bob.forwardSecrecyReport();
    assertThat(report.epoch()).isEqualTo(oldEpoch + 1);
    assertThat(report.retainedEpochs()).extracting(ForwardSecrecyReport.RetainedEpoch::epoch)
        .containsExactly(oldEpoch + 1, oldEpoch);
    ForwardSecrecyReport.RetainedEpoch past = report.retainedEpochs().get(1);
    assertThat(past.retention()).isEqualTo(ForwardSecrecyReport.Retention.LATE_MESSAGE_WINDOW);
    assertThat(application(past, ALICE).nextGeneration()).isEqualTo(1);
    // No message yet in the new epoch: its encryption_secret is still the secret tree's root.
    assertThat(report.retainedEpochs().get(0).encryptionSecretHeld()).isTrue();
    assertThat(report.resumptionPskEpochs()).contains(oldEpoch);
    // one content key (the commit was a PublicMessage) plus three secrets of the epoch left
    assertThat(report.deletedSecretsChecked()).isEqualTo(4);
    assertThat(report.deletedSecretsAbsent()).isTrue();

    byte[] saved = bob.save();
    assertThat(contains(saved, consumed.key())).isFalse();
    assertThat(contains(saved, oldInit)).isFalse();
    assertThat(contains(saved, oldExporter)).isFalse();

    // The committer reports the same for its own merge.
    ForwardSecrecyReport committer = alice.forwardSecrecyReport();
    assertThat(committer.epoch()).isEqualTo(oldEpoch + 1);
    assertThat(committer.deletedSecretsAbsent()).isTrue();
    // epoch 0 (left by adding bob), her content key, epoch 1
    assertThat(committer.deletedSecretsChecked()).isEqualTo(7);
  }

  @Test
  void aDeletedSecretStillPresentIsFound() {
    DeletedSecrets journal = new DeletedSecrets();
    byte[] key = new byte[16];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (0x40 + i);
    }
    ForwardSecrecyReport.DeletedSecret what = ForwardSecrecyReport.DeletedSecret.messageKey(
        3, ALICE, RatchetType.APPLICATION, 7);
    journal.add(what, key);
    journal.add(ForwardSecrecyReport.DeletedSecret.epochSecret(
        ForwardSecrecyReport.DeletedSecret.Kind.INIT_SECRET, 2), new byte[32]);
    byte[] state = new byte[200];
    assertThat(journal.foundIn(state)).extracting(ForwardSecrecyReport.DeletedSecret::kind)
        .containsExactly(ForwardSecrecyReport.DeletedSecret.Kind.INIT_SECRET);
    byte[] leaky = new byte[300];
    java.util.Arrays.fill(leaky, (byte) 1);
    System.arraycopy(key, 0, leaky, 123, key.length);
    assertThat(journal.foundIn(leaky)).containsExactly(what);
    assertThat(journal.foundIn(java.util.Arrays.copyOf(leaky, 138))).isEmpty();
  }

  @Test
  void theJournalIsBounded() {
    DeletedSecrets journal = new DeletedSecrets();
    for (int i = 0; i < DeletedSecrets.MAX_ENTRIES + 10; i++) {
      journal.add(ForwardSecrecyReport.DeletedSecret.messageKey(0, BOB, RatchetType.HANDSHAKE, i),
          java.nio.ByteBuffer.allocate(16).putInt(i).array());
    }
    assertThat(journal.size()).isEqualTo(DeletedSecrets.MAX_ENTRIES);
  }
}
