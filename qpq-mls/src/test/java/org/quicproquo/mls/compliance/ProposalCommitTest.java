package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertRefused;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.commitAll;
import static org.quicproquo.mls.compliance.Fixture.deliver;
import static org.quicproquo.mls.compliance.Fixture.wire;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.HpkeKeyPair;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.Member;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * Proposal and commit sequences (RFC 9420 §12.1, §12.2, §12.4): several proposals by
 * reference, conflicting proposals, invalid Adds, Removes and Updates, self-removal, and paths
 * required by the proposals covered. Hostile commits come from an {@link Insider} (member 1's
 * view of epoch 1) signed with member 0's key, so only the broken rule can reject them.
 */
class ProposalCommitTest {
  private Fixture.Party p;
  private Group alice;
  private Group bob;
  private Group carol;
  private Group dave;
  private Insider insider;

  @BeforeEach
  void setUp() throws Exception {
    p = Fixture.group(4);
    alice = p.get(0);
    bob = p.get(1);
    carol = p.get(2);
    dave = p.get(3);
    insider = p.insider(1);
  }

  private static LeafIndex leaf(int i) {
    return new LeafIndex(i);
  }

  private static ProposalOrRef value(Proposal proposal) {
    return new ProposalOrRef.ByValue(proposal);
  }

  private static ProposalOrRef ref(MLSMessage proposal) throws Exception {
    return new ProposalOrRef.ByReference(Insider.refOf(proposal));
  }

  /** A genuine UpdatePath of alice for this epoch (from a commit she then discards). */
  private UpdatePath alicesPath() throws Exception {
    CommitResult r = alice.commit(List.of());
    Commit c = (Commit) r.commit().as(PublicMessage.class).content().content();
    alice.discardPendingCommit();
    return c.path();
  }

  /** A commit from alice covering {@code proposals}, with a genuine-looking path. */
  private MLSMessage alicesCommit(ProposalOrRef... proposals) throws Exception {
    return insider.commit(leaf(0), p.signatureKey(0), List.of(proposals), alicesPath());
  }

  @Test
  @DisplayName("§12.4 §12.4.2 a commit covering proposals by reference from several members applies Removes before Adds")
  void severalProposalsByReference() throws Exception {
    KeyPackageBundle eve = Fixture.bundle("eve");
    deliver(p.members(), bob, bob.proposeAdd(eve.keyPackage()));
    deliver(p.members(), carol, carol.proposeUpdate());
    deliver(p.members(), dave, dave.proposeRemove(leaf(1)));
    CommitResult r = alice.commit(List.of());
    List<GroupEvent> events = deliver(p.members(), alice, r.commit());
    alice.mergePendingCommit();
    GroupEvent.CommitApplied atCarol = (GroupEvent.CommitApplied) events.get(1);
    assertThat(atCarol.removed()).extracting(Member::leafIndex).containsExactly(leaf(1));
    assertThat(atCarol.added()).extracting(Member::leafIndex).containsExactly(leaf(1));
    assertThat(atCarol.updated()).extracting(Member::leafIndex).contains(leaf(0), leaf(2));
    assertThat(bob.isActive()).isFalse();
    Group e = Group.join(SUITE, r.welcome().orElseThrow(), eve, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults());
    // The Remove freed leaf 1 before the Add was applied, so eve took it.
    assertThat(e.ownLeafIndex()).isEqualTo(leaf(1));
    assertAgree(List.of(alice, carol, dave, e));
  }

  @Test
  @DisplayName("§12.2 a committer refuses two Removes of the same leaf")
  void committerRefusesTwoRemovesOfOneLeaf() throws Exception {
    assertRefused(alice, () -> alice.commit(List.of(Proposal.Remove.of(leaf(2)),
        Proposal.Remove.of(leaf(2)))), RejectReason.INVALID_PROPOSAL, bob);
  }

  @Test
  @DisplayName("§12.2 two Removes of the same leaf in one commit are rejected")
  void twoRemovesOfOneLeafAreRejected() throws Exception {
    MLSMessage c = alicesCommit(value(Proposal.Remove.of(leaf(2))),
        value(Proposal.Remove.of(leaf(2))));
    assertRejected(bob, c, RejectReason.INVALID_PROPOSAL, dave);
    assertRejected(carol, c, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.2 an Update and a Remove of the same leaf in one commit are rejected")
  void updateAndRemoveOfOneLeafAreRejected() throws Exception {
    MLSMessage update = carol.proposeUpdate();
    deliver(p.members(), carol, update);
    MLSMessage c = alicesCommit(ref(update), value(Proposal.Remove.of(leaf(2))));
    assertRejected(bob, c, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.2 a committer removing a member leaves out that member's cached Update")
  void committerDropsTheUpdateOfALeafItRemoves() throws Exception {
    deliver(p.members(), carol, carol.proposeUpdate());
    CommitResult r = alice.commit(List.of(Proposal.Remove.of(leaf(2))));
    Commit c = (Commit) r.commit().as(PublicMessage.class).content().content();
    assertThat(c.proposals()).hasSize(1);
    List<GroupEvent> events = deliver(p.members(), alice, r.commit());
    alice.mergePendingCommit();
    GroupEvent.CommitApplied atBob = (GroupEvent.CommitApplied) events.get(0);
    assertThat(atBob.removed()).extracting(Member::leafIndex).containsExactly(leaf(2));
    assertThat(atBob.updated()).extracting(Member::leafIndex).containsExactly(leaf(0));
    assertAgree(p.members());
  }

  @Test
  @DisplayName("§12.2 two Updates from the same member in one commit are rejected")
  void twoUpdatesOfOneLeafAreRejected() throws Exception {
    MLSMessage u1 = carol.proposeUpdate();
    MLSMessage u2 = carol.proposeUpdate();
    deliver(p.members(), carol, u1);
    deliver(p.members(), carol, u2);
    assertRejected(bob, alicesCommit(ref(u1), ref(u2)), RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.2 a committer covers only one of two Updates from the same member, and the member keeps that leaf's key")
  void committerCoversOneOfTwoUpdates() throws Exception {
    deliver(p.members(), carol, carol.proposeUpdate());
    deliver(p.members(), carol, carol.proposeUpdate());
    CommitResult r = alice.commit(List.of());
    Commit c = (Commit) r.commit().as(PublicMessage.class).content().content();
    assertThat(c.proposals()).hasSize(1);
    deliver(p.members(), alice, r.commit());
    alice.mergePendingCommit();
    assertAgree(p.members());
    // carol decrypts the next path with the private key of the Update that was committed.
    commitAll(p.members(), dave, List.of());
    assertAgree(p.members());
    Fixture.assertStillWorks(carol, dave);
  }

  @Test
  @DisplayName("§12.2 a committer refuses to Add a KeyPackage of a client already in the group")
  void committerRefusesAddOfAMember() throws Exception {
    assertRefused(alice, () -> alice.commit(List.of(new Proposal.Add(
        p.bundles().get(1).keyPackage()))), RejectReason.INVALID_PROPOSAL, bob);
  }

  @Test
  @DisplayName("§12.2 §7.3 a commit adding a KeyPackage of a client already in the group is rejected")
  void addOfAMemberIsRejected() throws Exception {
    MLSMessage c = alicesCommit(value(new Proposal.Add(p.bundles().get(3).keyPackage())));
    assertRejected(bob, c, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.2 a committer refuses two Adds of the same KeyPackage")
  void committerRefusesTheSameAddTwice() throws Exception {
    KeyPackage eve = Fixture.bundle("eve").keyPackage();
    assertRefused(alice, () -> alice.commit(List.of(new Proposal.Add(eve),
        new Proposal.Add(eve))), RejectReason.INVALID_PROPOSAL, bob);
  }

  @Test
  @DisplayName("§12.2 a commit with two Adds of the same KeyPackage is rejected")
  void theSameAddTwiceIsRejected() throws Exception {
    KeyPackage eve = Fixture.bundle("eve").keyPackage();
    MLSMessage c = alicesCommit(value(new Proposal.Add(eve)), value(new Proposal.Add(eve)));
    assertRejected(bob, c, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.3 a Remove proposal for a blank leaf is rejected on receipt, and refused to a committer")
  void removeOfABlankLeaf() throws Exception {
    commitAll(p.members(), alice, List.of(Proposal.Remove.of(leaf(1))));
    assertThat(carol.ratchetTree().leaf(leaf(1))).isNull();
    assertRejected(dave, carol.proposeRemove(leaf(1)), RejectReason.INVALID_PROPOSAL, alice);
    assertRefused(alice, () -> alice.commit(List.of(Proposal.Remove.of(leaf(1)))),
        RejectReason.INVALID_PROPOSAL, carol);
  }

  @Test
  @DisplayName("§12.1.3 Remove proposals for leaf indices beyond the tree (and beyond any leaf) are rejected on receipt")
  void removeBeyondTheTree() throws Exception {
    assertRejected(dave, carol.proposeRemove(leaf(1000)), RejectReason.INVALID_PROPOSAL, alice);
    MLSMessage huge = insider.publicMessage(leaf(1), p.signatureKey(1),
        new Proposal.Remove(0xffff_ffffL), null);
    assertRejected(dave, huge, RejectReason.INVALID_PROPOSAL, alice);
  }

  @Test
  @DisplayName("§12.1.3 self-remove: a member proposes its own removal and another member commits it")
  void selfRemoveByProposal() throws Exception {
    deliver(p.members(), bob, bob.proposeRemove(leaf(1)));
    CommitResult r = carol.commit(List.of());
    List<GroupEvent> events = deliver(p.members(), carol, r.commit());
    carol.mergePendingCommit();
    GroupEvent.CommitApplied atBob = (GroupEvent.CommitApplied) events.get(1);
    assertThat(atBob.selfRemoved()).isTrue();
    assertThat(bob.isActive()).isFalse();
    assertThat(carol.members()).extracting(Member::leafIndex)
        .containsExactly(leaf(0), leaf(2), leaf(3));
    assertAgree(List.of(alice, carol, dave));
  }

  @Test
  @DisplayName("§12.2 a member cannot commit its own removal: its commit leaves its Remove proposal out")
  void proposerDoesNotCommitItsOwnRemoval() throws Exception {
    deliver(p.members(), bob, bob.proposeRemove(leaf(1)));
    CommitResult r = bob.commit(List.of());
    Commit c = (Commit) r.commit().as(PublicMessage.class).content().content();
    assertThat(c.proposals()).isEmpty();
    deliver(p.members(), bob, r.commit());
    bob.mergePendingCommit();
    assertThat(bob.isActive()).isTrue();
    assertAgree(p.members());
  }

  @Test
  @DisplayName("§12.2 a commit covering, by reference, another member's proposal to remove the committer is rejected")
  void removalOfTheCommitterByReference() throws Exception {
    MLSMessage removeAlice = bob.proposeRemove(leaf(0));
    deliver(p.members(), bob, removeAlice);
    assertRejected(carol, alicesCommit(ref(removeAlice)), RejectReason.INVALID_PROPOSAL, dave);
    // alice's own commit leaves that proposal out instead.
    CommitResult r = alice.commit(List.of());
    assertThat(((Commit) r.commit().as(PublicMessage.class).content().content()).proposals())
        .isEmpty();
    alice.discardPendingCommit();
  }

  @Test
  @DisplayName("§12.4 a commit referencing a proposal of an earlier epoch is rejected")
  void referenceToAProposalOfAnEarlierEpoch() throws Exception {
    MLSMessage old = bob.proposeRemove(leaf(3));
    carol.process(wire(old));
    KeyPackageBundle eve = Fixture.bundle("eve");
    CommitResult r = commitAll(p.members(), alice, List.of(new Proposal.Add(eve.keyPackage())));
    Insider epoch2 = Insider.fromWelcome(r.welcome().orElseThrow(), eve);
    MLSMessage c = epoch2.commit(leaf(0), p.signatureKey(0), List.of(ref(old)), null);
    assertRejected(carol, c, RejectReason.UNKNOWN_PROPOSAL_REFERENCE, dave);
  }

  @Test
  @DisplayName("§12.4 a commit covering a Remove without a path is rejected (path required)")
  void removeWithoutPathIsRejected() throws Exception {
    MLSMessage c = insider.commit(leaf(0), p.signatureKey(0),
        List.of(value(Proposal.Remove.of(leaf(2)))), null);
    assertRejected(bob, c, RejectReason.INVALID_PATH, dave);
  }

  @Test
  @DisplayName("§12.4 an empty commit without a path is rejected (path required)")
  void emptyCommitWithoutPathIsRejected() throws Exception {
    MLSMessage c = insider.commit(leaf(0), p.signatureKey(0), List.of(), null);
    assertRejected(bob, c, RejectReason.INVALID_PATH, dave);
  }

  @Test
  @DisplayName("§12.2 a commit covering the committer's own Update by reference is rejected")
  void committersOwnUpdateByReferenceIsRejected() throws Exception {
    MLSMessage own = alice.proposeUpdate();
    deliver(p.members(), alice, own);
    assertRejected(bob, alicesCommit(ref(own)), RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.2 §7.3 an Update whose leaf reuses another member's encryption key is rejected")
  void updateReusingAnEncryptionKey() throws Exception {
    LeafNode mine = bob.ratchetTree().leaf(leaf(1));
    byte[] alicesKey = bob.ratchetTree().leaf(leaf(0)).encryptionKey();
    LeafNode forged = mine.withEncryptionKey(alicesKey).withSource(LeafNodeSource.UPDATE, null,
        null).sign(SUITE, p.signatureKey(1), bob.groupId(), leaf(1));
    MLSMessage u = insider.publicMessage(leaf(1), p.signatureKey(1), new Proposal.Update(forged),
        null);
    assertRejected(carol, u, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.2 §7.3 an Update whose leaf is signed for another leaf index is rejected")
  void updateSignedForAnotherLeaf() throws Exception {
    LeafNode mine = bob.ratchetTree().leaf(leaf(1));
    LeafNode forged = mine.withEncryptionKey(SUITE.generateHpkeKeyPair().publicKey())
        .withSource(LeafNodeSource.UPDATE, null, null)
        .sign(SUITE, p.signatureKey(1), bob.groupId(), leaf(2));
    MLSMessage u = insider.publicMessage(leaf(1), p.signatureKey(1), new Proposal.Update(forged),
        null);
    assertRejected(carol, u, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.1 §10.1 an Add of a KeyPackage for another cipher suite is rejected on receipt and refused to a committer")
  void addOfAKeyPackageOfAnotherSuite() throws Exception {
    CipherSuite other = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMP256_AES128GCM_SHA256_P256,
        new SecureRandom());
    KeyPackage kp = Group.generateKeyPackage(other, Fixture.basic("p256"),
        other.generateSignatureKeyPair(), Group.defaultCapabilities(other, CredentialType.BASIC),
        Fixture.FOREVER).keyPackage();
    assertRejected(carol, bob.proposeAdd(kp), RejectReason.INVALID_PROPOSAL, dave);
    assertRefused(alice, () -> alice.commit(List.of(new Proposal.Add(kp))),
        RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§10.1 an Add of a KeyPackage whose signature does not verify is rejected on receipt")
  void addOfAKeyPackageWithABadSignature() throws Exception {
    KeyPackage good = Fixture.bundle("eve").keyPackage();
    byte[] sig = good.signature();
    sig[0] ^= 1;
    KeyPackage bad = new KeyPackage(good.version(), good.cipherSuite(), good.initKey(),
        good.leafNode(), good.extensions(), sig);
    assertRejected(carol, bob.proposeAdd(bad), RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§10.1 an Add of a KeyPackage whose init_key equals its leaf encryption_key is rejected")
  void addOfAKeyPackageReusingItsInitKey() throws Exception {
    SignatureKeyPair sig = SUITE.generateSignatureKeyPair();
    HpkeKeyPair enc = SUITE.generateHpkeKeyPair();
    LeafNode leafNode = new LeafNode(enc.publicKey(), sig.publicKey(), Fixture.basic("eve"),
        Group.defaultCapabilities(SUITE, CredentialType.BASIC), LeafNodeSource.KEY_PACKAGE,
        Fixture.FOREVER, null, List.of(), new byte[0]).sign(SUITE, sig.privateKey(), null, null);
    KeyPackage kp = new KeyPackage(KeyPackage.MLS10, SUITE.id(), enc.publicKey(), leafNode,
        List.of(), new byte[0]).sign(SUITE, sig.privateKey());
    assertRejected(carol, bob.proposeAdd(kp), RejectReason.INVALID_PROPOSAL, dave);
    assertRejected(carol, alicesCommit(value(new Proposal.Add(kp))),
        RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1 a proposal of a type the group does not support is rejected on receipt")
  void unsupportedProposalType() throws Exception {
    MLSMessage custom = insider.publicMessage(leaf(1), p.signatureKey(1),
        new Proposal.Custom(0x0a0a, new byte[] {1, 2, 3}), null);
    assertRejected(carol, custom, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.6 an ExternalInit proposal sent by a member on its own is rejected")
  void standaloneExternalInit() throws Exception {
    MLSMessage ei = insider.publicMessage(leaf(1), p.signatureKey(1),
        new Proposal.ExternalInit(SUITE.generateHpkeKeyPair().publicKey()), null);
    assertRejected(carol, ei, RejectReason.INVALID_PROPOSAL, dave);
  }

  @Test
  @DisplayName("§12.1.6 §12.2 a member commit covering an ExternalInit is rejected")
  void externalInitInAMemberCommit() throws Exception {
    MLSMessage c = alicesCommit(value(new Proposal.ExternalInit(
        SUITE.generateHpkeKeyPair().publicKey())));
    assertRejected(bob, c, RejectReason.INVALID_PROPOSAL, dave);
  }
}
