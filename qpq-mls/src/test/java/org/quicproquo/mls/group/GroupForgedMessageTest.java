package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.ApplicationData;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;

/**
 * A PrivateMessage whose sender data decrypts (so it names a real member and generation) but
 * whose content tag is wrong must change nothing: not the saved state, and not the ratchet, so the
 * genuine message of that generation still decrypts afterwards.
 */
class GroupForgedMessageTest {
  private List<Group> g;
  private Group alice;
  private Group bob;

  @BeforeEach
  void setUp() throws Exception {
    g = Clients.group(3, GroupOptions.defaults());
    alice = g.get(0);
    bob = g.get(1);
  }

  /**
   * {@code msg} with the last byte of its ciphertext (inside the AEAD tag) flipped. The sender
   * data key is derived from the ciphertext's first KDF.Nh bytes (§6.3.2), which stay as they
   * were, so the sender data still decrypts to the genuine leaf and generation.
   */
  private static MLSMessage withBadContentTag(MLSMessage msg) throws Exception {
    PrivateMessage pm = msg.as(PrivateMessage.class);
    byte[] ct = pm.ciphertext();
    assertThat(ct.length).isGreaterThan(Clients.SUITE.hashLength());
    ct[ct.length - 1] ^= 1;
    return MLSMessage.of(new PrivateMessage(pm.groupId(), pm.epoch(), pm.contentType(),
        pm.authenticatedData(), pm.encryptedSenderData(), ct));
  }

  private static void assertForgeryChangesNothing(Group receiver, MLSMessage forged) {
    byte[] before = receiver.save();
    assertThatThrownBy(() -> receiver.process(MLSMessage.fromBytes(forged.toBytes())))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.DECRYPTION_FAILED));
    assertThat(receiver.save()).isEqualTo(before);
  }

  private static byte[] read(Group receiver, MLSMessage msg) throws Exception {
    GroupEvent e = receiver.process(MLSMessage.fromBytes(msg.toBytes()));
    return ((GroupEvent.ApplicationMessage) e).data();
  }

  @Test
  void forgedNextGenerationDoesNotBurnIt() throws Exception {
    MLSMessage genuine = alice.encrypt(new byte[] {1});
    assertForgeryChangesNothing(bob, withBadContentTag(genuine));
    assertThat(read(bob, genuine)).containsExactly(1);
  }

  @Test
  void forgedFutureGenerationRetainsNoSkippedKeys() throws Exception {
    MLSMessage first = alice.encrypt(new byte[] {1});
    MLSMessage second = alice.encrypt(new byte[] {2});
    MLSMessage third = alice.encrypt(new byte[] {3});
    // Generation 2 lies ahead: a genuine message would retain the keys of 0 and 1.
    assertForgeryChangesNothing(bob, withBadContentTag(third));
    assertThat(read(bob, third)).containsExactly(3);
    assertForgeryChangesNothing(bob, withBadContentTag(first));
    assertThat(read(bob, first)).containsExactly(1);
    assertThat(read(bob, second)).containsExactly(2);
  }

  @Test
  void forgedHandshakeMessageDoesNotBurnItsGeneration() throws Exception {
    List<Group> enc = Clients.group(2, new GroupOptions(true, true, 0));
    MLSMessage proposal = enc.get(0).proposeUpdate();
    assertForgeryChangesNothing(enc.get(1), withBadContentTag(proposal));
    GroupEvent e = enc.get(1).process(MLSMessage.fromBytes(proposal.toBytes()));
    assertThat(e).isInstanceOf(GroupEvent.ProposalReceived.class);
  }

  @Test
  void forgedLateMessageOfThePreviousEpochDoesNotBurnItsGeneration() throws Exception {
    MLSMessage late = alice.encrypt(new byte[] {7});
    Group carol = g.get(2);
    CommitResult r = carol.commit(List.of());
    Clients.deliver(g, carol, r.commit());
    carol.mergePendingCommit();
    assertThat(bob.epoch()).isEqualTo(late.as(PrivateMessage.class).epoch() + 1);
    assertForgeryChangesNothing(bob, withBadContentTag(late));
    assertThat(read(bob, late)).containsExactly(7);
  }

  @Test
  void messageWithABadSignatureDoesNotBurnItsGeneration() throws Exception {
    // Authentic ciphertext (the AEAD passes) but a signature by a key that is not the sender's:
    // a member impersonating another. Rejected, and the generation stays usable.
    byte[] mallory = Clients.SUITE.generateSignatureKeyPair().privateKey();
    GroupState real = alice.state();
    GroupState impostor = new GroupState(real.suite(), real.context(), real.tree(),
        real.ownLeaf(), mallory, real.privateKeys(), real.secrets(), real.secretTree().copy(),
        real.interimTranscriptHash(), real.confirmationTag(), real.proposals(),
        real.resumptionPsks(), real.pastEpochs(), real.options(), real.active());
    MLSMessage forged = Framer.seal(impostor, Framer.sign(impostor,
        WireFormat.MLS_PRIVATE_MESSAGE,
        new FramedContent(real.groupId(), real.epoch(),
            Sender.member(real.ownLeaf()), new byte[0],
            new ApplicationData(new byte[] {6})),
        null)).message();
    byte[] before = bob.save();
    assertThatThrownBy(() -> bob.process(MLSMessage.fromBytes(forged.toBytes())))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.BAD_SIGNATURE));
    assertThat(bob.save()).isEqualTo(before);
    // alice's own state never used that generation; her next message takes it and reads fine.
    assertThat(read(bob, alice.encrypt(new byte[] {8}))).containsExactly(8);
  }
}
