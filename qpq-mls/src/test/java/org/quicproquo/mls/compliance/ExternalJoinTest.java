package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.assertStillWorks;
import static org.quicproquo.mls.compliance.Fixture.commitAll;
import static org.quicproquo.mls.compliance.Fixture.deliver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalJoin;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.MessageRejectedException;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.ExternalPub;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.GroupInfoTBS;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.KeySchedule;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * External joins (RFC 9420 §12.4.3.2), without resync (resync itself is covered by
 * {@code GroupResyncTest}): where the joiner lands, stale and replayed external commits, and
 * external commits a hostile joiner alters and re-signs with its own key.
 */
class ExternalJoinTest {
  private Fixture.Party p;
  private SignatureKeyPair joinerKey;
  private GroupInfo info;

  @BeforeEach
  void setUp() throws Exception {
    p = Fixture.group(3);
    joinerKey = SUITE.generateSignatureKeyPair();
    info = p.get(1).groupInfo();
  }

  private ExternalJoin join() throws Exception {
    return Group.joinExternal(SUITE, info, Optional.empty(), Fixture.basic("zed"), joinerKey,
        GroupOptions.defaults());
  }

  /** The external commit's Commit, for rebuilding it. */
  private static Commit commitOf(MLSMessage m) throws Exception {
    return (Commit) m.as(PublicMessage.class).content().content();
  }

  /** {@code commit} as a new_member_commit of {@code info}'s epoch, signed by the joiner. */
  private MLSMessage resigned(MLSMessage original, Commit commit) throws Exception {
    PublicMessage pm = original.as(PublicMessage.class);
    FramedContent fc = new FramedContent(pm.content().groupId(), pm.content().epoch(),
        new Sender.NewMemberCommit(), new byte[0], commit);
    byte[] sig = ContentSignature.sign(SUITE, WireFormat.MLS_PUBLIC_MESSAGE, fc,
        info.groupContext(), joinerKey.privateKey());
    return MLSMessage.of(new PublicMessage(fc,
        new FramedContentAuthData(sig, pm.auth().confirmationTag()), null));
  }

  @Test
  @DisplayName("§12.4.3.2 an external joiner takes the leftmost blank leaf and everyone agrees")
  void externalJoinerTakesTheLeftmostBlank() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(4).members());
    commitAll(g, g.get(3), List.of(Proposal.Remove.of(new LeafIndex(1))));
    info = g.get(0).groupInfo();
    ExternalJoin ej = join();
    assertThat(ej.group().ownLeafIndex()).isEqualTo(new LeafIndex(1));
    deliver(g, null, ej.commit());
    g.add(ej.group());
    assertAgree(g);
    assertStillWorks(ej.group(), g.get(2));
    assertStillWorks(g.get(3), ej.group());
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit replayed after it was applied is rejected as WRONG_EPOCH")
  void replayedExternalCommit() throws Exception {
    ExternalJoin ej = join();
    deliver(p.members(), null, ej.commit());
    assertRejected(p.get(0), ej.commit(), RejectReason.WRONG_EPOCH, ej.group());
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit built from a GroupInfo of a past epoch is rejected as WRONG_EPOCH")
  void staleGroupInfo() throws Exception {
    commitAll(p.members(), p.get(2), List.of());
    ExternalJoin ej = join();
    assertRejected(p.get(0), ej.commit(), RejectReason.WRONG_EPOCH, p.get(1));
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit whose signature does not verify is rejected")
  void externalCommitWithABadSignature() throws Exception {
    ExternalJoin ej = join();
    PublicMessage pm = ej.commit().as(PublicMessage.class);
    byte[] sig = pm.auth().signature();
    sig[3] ^= 1;
    MLSMessage bad = MLSMessage.of(new PublicMessage(pm.content(),
        new FramedContentAuthData(sig, pm.auth().confirmationTag()), null));
    assertRejected(p.get(0), bad, RejectReason.BAD_SIGNATURE, p.get(1));
    assertRejected(p.get(2), bad, RejectReason.BAD_SIGNATURE, p.get(1));
    deliver(p.members(), null, ej.commit());
    assertAgree(List.of(p.get(0), p.get(1), p.get(2), ej.group()));
  }

  @Test
  @DisplayName("§12.4.3.2 §8.3 an external commit whose kem_output was replaced derives another init_secret and fails the confirmation tag")
  void replacedKemOutput() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    byte[] pub = ExternalPub.fromExtension(info.extension(ExtensionType.EXTERNAL_PUB)
        .orElseThrow()).externalPub();
    byte[] otherKem = new KeySchedule(SUITE).externalInitSender(pub).kemOutput();
    List<ProposalOrRef> proposals = List.of(new ProposalOrRef.ByValue(
        new Proposal.ExternalInit(otherKem)));
    MLSMessage forged = resigned(ej.commit(), new Commit(proposals, c.path()));
    assertRejected(p.get(0), forged, RejectReason.BAD_CONFIRMATION_TAG, p.get(1));
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit covering a proposal by reference is rejected")
  void externalCommitByReference() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    MLSMessage proposal = p.get(1).proposeUpdate();
    deliver(p.members(), p.get(1), proposal);
    List<ProposalOrRef> proposals = new ArrayList<>(c.proposals());
    proposals.add(new ProposalOrRef.ByReference(Insider.refOf(proposal)));
    assertRejected(p.get(0), resigned(ej.commit(), new Commit(proposals, c.path())),
        RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit without an ExternalInit proposal is rejected")
  void externalCommitWithoutExternalInit() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    assertRejected(p.get(0), resigned(ej.commit(), new Commit(List.of(), c.path())),
        RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit that also adds a member is rejected")
  void externalCommitWithAnAdd() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    List<ProposalOrRef> proposals = new ArrayList<>(c.proposals());
    proposals.add(new ProposalOrRef.ByValue(new Proposal.Add(
        Fixture.bundle("friend").keyPackage())));
    assertRejected(p.get(0), resigned(ej.commit(), new Commit(proposals, c.path())),
        RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§12.4.3.2 an external commit without a path is rejected")
  void externalCommitWithoutPath() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    UpdatePath none = null;
    assertRejected(p.get(0), resigned(ej.commit(), new Commit(c.proposals(), none)),
        RejectReason.INVALID_PATH, p.get(2));
  }

  @Test
  @DisplayName("§12.4.3.2 a GroupInfo without external_pub cannot be used to join externally")
  void groupInfoWithoutExternalPub() throws Exception {
    List<Extension> exts = info.extensions().stream()
        .filter(e -> e.extensionType() != ExtensionType.EXTERNAL_PUB).toList();
    GroupInfo stripped = GroupInfo.sign(SUITE, new GroupInfoTBS(info.groupContext(), exts,
        info.confirmationTag(), info.signer()), p.signatureKey(1));
    assertThatThrownBy(() -> Group.joinExternal(SUITE, stripped, Optional.empty(),
        Fixture.basic("zed"), joinerKey, GroupOptions.defaults()))
        .isInstanceOfSatisfying(MessageRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_WELCOME));
  }

  @Test
  @DisplayName("§12.4.3.2 without a ratchet_tree in the GroupInfo the external joiner needs the tree out of band")
  void externalJoinWithOutOfBandTree() throws Exception {
    GroupOptions noTree = new GroupOptions(false, false, 0);
    Group a = Group.create(SUITE, "no tree".getBytes(StandardCharsets.UTF_8),
        Fixture.bundle("a"), List.of(), noTree);
    KeyPackageBundle bKp = Fixture.bundle("b");
    CommitResult r = a.commit(List.of(new Proposal.Add(
        bKp.keyPackage())));
    a.mergePendingCommit();
    Group b = Group.join(SUITE, r.welcome().orElseThrow(), bKp, Optional.of(a.ratchetTree()),
        ExternalPsks.none(), noTree);
    List<Group> q = List.of(a, b);
    GroupInfo gi = a.groupInfo();
    assertThat(gi.extension(ExtensionType.RATCHET_TREE)).isEmpty();
    assertThatThrownBy(() -> Group.joinExternal(SUITE, gi, Optional.empty(),
        Fixture.basic("zed"), joinerKey, noTree))
        .isInstanceOfSatisfying(MessageRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_WELCOME));
    ExternalJoin ej = Group.joinExternal(SUITE, gi, Optional.of(b.ratchetTree()),
        Fixture.basic("zed"), joinerKey, noTree);
    deliver(q, null, ej.commit());
    assertAgree(List.of(a, b, ej.group()));
  }

  @Test
  @DisplayName("§12.4.3.2 a forged external commit does not disturb a genuine one of the same joiner that follows")
  void forgedThenGenuine() throws Exception {
    ExternalJoin ej = join();
    Commit c = commitOf(ej.commit());
    MLSMessage forged = resigned(ej.commit(), new Commit(List.of(), c.path()));
    for (int i = 0; i < 3; i++) {
      assertRejected(p.get(i), forged, RejectReason.INVALID_PROPOSAL, p.get((i + 1) % 3));
    }
    deliver(p.members(), null, ej.commit());
    assertAgree(List.of(p.get(0), p.get(1), p.get(2), ej.group()));
    assertThat(p.get(0).members()).extracting(m -> m.credential())
        .contains(Fixture.basic("zed"));
  }
}
