package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.ExternalSender;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.schedule.ResumptionPskUsage;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.LeafIndex;

/** PreSharedKey, GroupContextExtensions and external-sender proposals end to end. */
class GroupProposalKindsTest {
  private static final CipherSuite SUITE = Clients.SUITE;
  private static final byte[] PSK_ID = "team psk".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PSK = new byte[32];

  @Test
  void externalPskIsInjectedForMembersAndJoiners() throws Exception {
    List<Group> g = new ArrayList<>(Clients.group(3, GroupOptions.defaults()));
    Group alice = g.get(0);
    Group bob = g.get(1);
    Group carol = g.get(2);
    alice.addExternalPsk(PSK_ID, PSK);
    bob.addExternalPsk(PSK_ID, PSK);

    PreSharedKeyId id = new PreSharedKeyId.External(PSK_ID, SUITE.randomBytes(32));
    MLSMessage p = alice.proposePsk(id);
    bob.process(MLSMessage.fromBytes(p.toBytes()));
    carol.process(MLSMessage.fromBytes(p.toBytes()));
    KeyPackageBundle dave = Clients.bundle("dave");
    CommitResult r = bob.commit(List.of(new Proposal.Add(dave.keyPackage())));

    // carol does not know the PSK: rejected, state unchanged.
    byte[] before = carol.save();
    assertThatThrownBy(() -> carol.process(MLSMessage.fromBytes(r.commit().toBytes())))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.MISSING_PSK));
    assertThat(carol.save()).isEqualTo(before);
    carol.addExternalPsk(PSK_ID, PSK);
    carol.process(MLSMessage.fromBytes(r.commit().toBytes()));
    alice.process(MLSMessage.fromBytes(r.commit().toBytes()));
    bob.mergePendingCommit();

    assertThatThrownBy(() -> Group.join(SUITE, r.welcome().orElseThrow(), dave,
        Optional.empty(), ExternalPsks.none(), GroupOptions.defaults()))
        .isInstanceOf(MessageRejectedException.class);
    Group daveGroup = Group.join(SUITE, r.welcome().orElseThrow(), dave, Optional.empty(),
        ExternalPsks.none().with(PSK_ID, PSK), GroupOptions.defaults());
    g.add(daveGroup);
    assertThat(Clients.sameAuthenticator(g)).isTrue();
  }

  @Test
  void resumptionPskOfAnEarlierEpoch() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    Group alice = g.get(0);
    long earlier = alice.epoch();
    CommitResult first = alice.commit(List.of());
    Clients.deliver(g, alice, first.commit());
    alice.mergePendingCommit();

    PreSharedKeyId id = new PreSharedKeyId.Resumption(ResumptionPskUsage.APPLICATION,
        alice.groupId(), earlier, SUITE.randomBytes(32));
    Group bob = g.get(1);
    CommitResult r = bob.commit(List.of(new Proposal.PreSharedKey(id)));
    Clients.deliver(g, bob, r.commit());
    bob.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(g)).isTrue();
    assertThat(bob.epoch()).isEqualTo(earlier + 2);
  }

  @Test
  void groupContextExtensionsThenExternalSenderProposal() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    Group alice = g.get(0);
    SignatureKeyPair server = SUITE.generateSignatureKeyPair();
    Extension senders = ExternalSender.toExtension(List.of(new ExternalSender(server.publicKey(),
        Credential.basic("delivery service".getBytes(StandardCharsets.UTF_8)))));
    CommitResult r = alice.commit(List.of(new Proposal.GroupContextExtensions(List.of(senders))));
    Clients.deliver(g, alice, r.commit());
    alice.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(g)).isTrue();
    for (Group m : g) {
      assertThat(m.groupContext().extensions()).extracting(Extension::extensionType)
          .containsExactly(ExtensionType.EXTERNAL_SENDERS);
    }

    // The external sender (e.g. a server) proposes removing carol; bob commits it.
    FramedContent fc = new FramedContent(alice.groupId(), alice.epoch(), new Sender.External(0),
        new byte[0], Proposal.Remove.of(new LeafIndex(2)));
    byte[] sig = ContentSignature.sign(SUITE, WireFormat.MLS_PUBLIC_MESSAGE, fc,
        alice.groupContext(), server.privateKey());
    MLSMessage proposal = MLSMessage.of(new PublicMessage(fc,
        new FramedContentAuthData(sig, null), null));
    for (Group m : g) {
      GroupEvent e = m.process(MLSMessage.fromBytes(proposal.toBytes()));
      assertThat(e).isInstanceOf(GroupEvent.ProposalReceived.class);
    }
    Group bob = g.get(1);
    CommitResult rr = bob.commit(List.of());
    Clients.deliver(g, bob, rr.commit());
    bob.mergePendingCommit();
    assertThat(g.get(2).isActive()).isFalse();
    assertThat(Clients.sameAuthenticator(List.of(alice, bob))).isTrue();
    assertThat(alice.members()).hasSize(2);

    // A forged external proposal (wrong key) is rejected.
    SignatureKeyPair forger = SUITE.generateSignatureKeyPair();
    FramedContent fc2 = new FramedContent(alice.groupId(), alice.epoch(), new Sender.External(0),
        new byte[0], Proposal.Remove.of(new LeafIndex(1)));
    byte[] badSig = ContentSignature.sign(SUITE, WireFormat.MLS_PUBLIC_MESSAGE, fc2,
        alice.groupContext(), forger.privateKey());
    MLSMessage forged = MLSMessage.of(new PublicMessage(fc2,
        new FramedContentAuthData(badSig, null), null));
    assertThatThrownBy(() -> alice.process(forged))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.BAD_SIGNATURE));
  }

  @Test
  void reInitIsReportedToEveryMember() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    Group bob = g.get(1);
    MLSMessage p = bob.proposeReInit("next-group".getBytes(StandardCharsets.UTF_8), SUITE,
        List.of());
    Clients.deliver(g, bob, p);
    Group alice = g.get(0);
    CommitResult r = alice.commit(List.of());
    for (GroupEvent e : Clients.deliver(g, alice, r.commit())) {
      GroupEvent.CommitApplied ca = (GroupEvent.CommitApplied) e;
      assertThat(ca.reInit()).isPresent();
      assertThat(ca.reInit().get().groupId()).isEqualTo(
          "next-group".getBytes(StandardCharsets.UTF_8));
    }
    alice.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(g)).isTrue();
  }

  @Test
  void joinWithWrongPrivateKeysIsRejected() throws Exception {
    Group alice = Clients.create("alice", GroupOptions.defaults());
    KeyPackageBundle bob = Clients.bundle("bob");
    CommitResult r = alice.commit(List.of(new Proposal.Add(bob.keyPackage())));
    KeyPackageBundle wrong = new KeyPackageBundle(bob.keyPackage(), bob.initPrivateKey(),
        SUITE.generateHpkeKeyPair().privateKey(), bob.signatureKeyPair());
    assertThatThrownBy(() -> Group.join(SUITE, r.welcome().orElseThrow(), wrong,
        Optional.empty(), ExternalPsks.none(), GroupOptions.defaults()))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_WELCOME));
  }

  @Test
  void committerSkipsCachedProposalsThatCannotBeCommittedTogether() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    Group alice = g.get(0);
    Group bob = g.get(1);
    Group carol = g.get(2);
    // Two members propose adding the same key package: each is valid alone, not together.
    KeyPackageBundle dave = Clients.bundle("dave");
    Clients.deliver(g, bob, bob.proposeAdd(dave.keyPackage()));
    Clients.deliver(g, carol, carol.proposeAdd(dave.keyPackage()));
    // An unknown external PSK proposal from carol that alice cannot resolve.
    Clients.deliver(g, carol, carol.proposePsk(new PreSharedKeyId.External(
        "nobody knows".getBytes(StandardCharsets.UTF_8), SUITE.randomBytes(32))));
    CommitResult r = alice.commit(List.of());
    assertThat(r.added()).hasSize(1);
    Clients.deliver(g, alice, r.commit());
    alice.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(g)).isTrue();
    assertThat(alice.members()).hasSize(4);
  }
}
