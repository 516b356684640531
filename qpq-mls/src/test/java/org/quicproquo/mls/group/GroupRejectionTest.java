package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.framing.MembershipTag;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * Each §12.4 / §6 validation rule rejects a message with a typed exception, and the receiving
 * group's complete saved state is byte-for-byte what it was before.
 */
class GroupRejectionTest {
  private static final CipherSuite SUITE = Clients.SUITE;
  private List<Group> g;
  private Group alice;
  private Group bob;

  @BeforeEach
  void setUp() throws Exception {
    g = Clients.group(3, GroupOptions.defaults());
    alice = g.get(0);
    bob = g.get(1);
  }

  private static void assertRejected(Group receiver, MLSMessage msg, RejectReason reason) {
    byte[] before = receiver.save();
    assertThatThrownBy(() -> receiver.process(MLSMessage.fromBytes(msg.toBytes())))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason()).isEqualTo(reason));
    assertThat(receiver.save()).isEqualTo(before);
  }

  /** A PublicMessage from {@code from}'s state with a valid membership tag over {@code ac}. */
  private static MLSMessage tagged(Group from, AuthenticatedContent ac) {
    GroupState s = from.state();
    byte[] tag = MembershipTag.compute(SUITE, s.secrets().membershipKey(), ac, s.context());
    return MLSMessage.of(new PublicMessage(ac.content(), ac.auth(), tag));
  }

  private static AuthenticatedContent signed(Group from, FramedContent fc, byte[] key,
      byte[] confirmationTag) throws Exception {
    byte[] sig = ContentSignature.sign(SUITE, WireFormat.MLS_PUBLIC_MESSAGE, fc,
        from.state().context(), key);
    return new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, fc,
        new FramedContentAuthData(sig, confirmationTag));
  }

  private FramedContent proposalFrom(Group from, LeafIndex claimed) {
    return new FramedContent(from.groupId(), from.epoch(), Sender.member(claimed), new byte[0],
        Proposal.Remove.of(new LeafIndex(2)));
  }

  @Test
  void badSignature() throws Exception {
    byte[] otherKey = SUITE.generateSignatureKeyPair().privateKey();
    AuthenticatedContent ac = signed(alice, proposalFrom(alice, new LeafIndex(0)), otherKey, null);
    assertRejected(bob, tagged(alice, ac), RejectReason.BAD_SIGNATURE);
  }

  @Test
  void badMembershipTag() throws Exception {
    PublicMessage pm = alice.proposeRemove(new LeafIndex(2)).as(PublicMessage.class);
    byte[] tag = pm.membershipTag();
    tag[0] ^= 1;
    assertRejected(bob, MLSMessage.of(new PublicMessage(pm.content(), pm.auth(), tag)),
        RejectReason.BAD_MEMBERSHIP_TAG);
  }

  @Test
  void wrongEpoch() throws Exception {
    MLSMessage oldProposal = alice.proposeRemove(new LeafIndex(2));
    MLSMessage oldApp = alice.encrypt(new byte[] {1});
    Group carol = g.get(2);
    for (int i = 0; i <= GroupState.PAST_EPOCHS_KEPT; i++) {
      CommitResult r = carol.commit(List.of());
      Clients.deliver(g, carol, r.commit());
      carol.mergePendingCommit();
      // Handshake messages of a past epoch are never accepted.
      assertRejected(bob, oldProposal, RejectReason.WRONG_EPOCH);
    }
    // Application messages only while their epoch is among the retained past epochs.
    assertRejected(bob, oldApp, RejectReason.WRONG_EPOCH);
  }

  @Test
  void lateApplicationMessageOfThePreviousEpochIsReadOnce() throws Exception {
    MLSMessage late = alice.encrypt(new byte[] {9});
    CommitResult r = g.get(2).commit(List.of());
    Clients.deliver(g, g.get(2), r.commit());
    g.get(2).mergePendingCommit();
    GroupEvent e = bob.process(MLSMessage.fromBytes(late.toBytes()));
    assertThat(((GroupEvent.ApplicationMessage) e).data()).containsExactly(9);
    assertRejected(bob, late, RejectReason.GENERATION_REUSED_OR_TOO_FAR);
    // The committer, too, after merging (its keys consumed before merging stay consumed).
    GroupEvent e2 = g.get(2).process(MLSMessage.fromBytes(late.toBytes()));
    assertThat(((GroupEvent.ApplicationMessage) e2).data()).containsExactly(9);
  }

  @Test
  void keysConsumedWhileACommitWasPendingStayConsumed() throws Exception {
    Group carol = g.get(2);
    MLSMessage m = alice.encrypt(new byte[] {5});
    CommitResult r = carol.commit(List.of());
    carol.process(MLSMessage.fromBytes(m.toBytes()));
    carol.mergePendingCommit();
    assertRejected(carol, m, RejectReason.GENERATION_REUSED_OR_TOO_FAR);
    assertThat(r.newEpoch()).isEqualTo(carol.epoch());
  }

  @Test
  void wrongGroupId() throws Exception {
    Group other = Clients.create("stranger", GroupOptions.defaults());
    assertRejected(bob, other.encrypt(new byte[] {1}), RejectReason.WRONG_GROUP_ID);
  }

  @Test
  void replayedGeneration() throws Exception {
    MLSMessage m = alice.encrypt(new byte[] {1});
    bob.process(MLSMessage.fromBytes(m.toBytes()));
    assertRejected(bob, m, RejectReason.GENERATION_REUSED_OR_TOO_FAR);
  }

  @Test
  void nonMemberSender() throws Exception {
    byte[] key = alice.state().signaturePrivateKey();
    AuthenticatedContent ac = signed(alice, proposalFrom(alice, new LeafIndex(9)), key, null);
    assertRejected(bob, tagged(alice, ac), RejectReason.NOT_A_MEMBER);
  }

  @Test
  void commitRemovingTheCommitterIsRejectedByReceivers() throws Exception {
    Commit commit = new Commit(List.of(new ProposalOrRef.ByValue(Proposal.Remove.of(
        new LeafIndex(0)))), null);
    FramedContent fc = new FramedContent(alice.groupId(), alice.epoch(),
        Sender.member(new LeafIndex(0)), new byte[0], commit);
    AuthenticatedContent ac = signed(alice, fc, alice.state().signaturePrivateKey(),
        new byte[SUITE.hashLength()]);
    assertRejected(bob, tagged(alice, ac), RejectReason.INVALID_PROPOSAL);
  }

  @Test
  void commitRemovingTheCommitterIsRefusedToTheCommitter() {
    byte[] before = alice.save();
    assertThatThrownBy(() -> alice.commit(List.of(Proposal.Remove.of(new LeafIndex(0)))))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_PROPOSAL));
    assertThat(alice.save()).isEqualTo(before);
    assertThat(alice.hasPendingCommit()).isFalse();
  }

  @Test
  void badConfirmationTag() throws Exception {
    CommitResult r = alice.commit(List.of());
    PublicMessage pm = r.commit().as(PublicMessage.class);
    byte[] wrongTag = pm.auth().confirmationTag();
    wrongTag[0] ^= 1;
    AuthenticatedContent ac = new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE,
        pm.content(), new FramedContentAuthData(pm.auth().signature(), wrongTag));
    assertRejected(bob, tagged(alice, ac), RejectReason.BAD_CONFIRMATION_TAG);
  }

  @Test
  void unknownProposalReference() throws Exception {
    // carol's Update reaches alice but not bob; alice's commit covers it by reference.
    Group carol = g.get(2);
    MLSMessage p = carol.proposeUpdate();
    alice.process(MLSMessage.fromBytes(p.toBytes()));
    CommitResult r = alice.commit(List.of());
    assertRejected(bob, r.commit(), RejectReason.UNKNOWN_PROPOSAL_REFERENCE);
  }

  @Test
  void removedMemberIsInactive() throws Exception {
    CommitResult r = alice.commit(List.of(Proposal.Remove.of(new LeafIndex(1))));
    GroupEvent e = bob.process(MLSMessage.fromBytes(r.commit().toBytes()));
    assertThat(((GroupEvent.CommitApplied) e).selfRemoved()).isTrue();
    assertThatThrownBy(() -> bob.encrypt(new byte[] {1}))
        .isInstanceOf(GroupStateException.class);
  }
}
