package org.quicproquo.mls.message;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.message.ProposalListRules.CoveredProposal;
import org.quicproquo.mls.message.ProposalListRules.Rule;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;
import org.quicproquo.mls.tree.LeafNodeSource;
import org.quicproquo.mls.tree.Lifetime;

class ProposalListRulesTest {
  private static final Sender ALICE = Sender.member(LeafIndex.of(0));
  private static final Sender BOB = Sender.member(LeafIndex.of(1));
  private static final Sender CAROL = Sender.member(LeafIndex.of(2));

  private static LeafNode leaf(byte sigKeyByte) {
    return new LeafNode(new byte[] {1}, new byte[] {sigKeyByte}, new Credential.Basic(new byte[] {7}),
        new Capabilities(List.of(1), List.of(1), List.of(), List.of(), List.of(1)),
        LeafNodeSource.KEY_PACKAGE, new Lifetime(0, 1), null, List.of(), new byte[] {0});
  }

  private static Proposal add(byte sigKeyByte) {
    return new Proposal.Add(new KeyPackage(1, CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519,
        new byte[] {2}, leaf(sigKeyByte), List.of(), new byte[] {0}));
  }

  private static Proposal update() {
    LeafNode l = leaf((byte) 9);
    return new Proposal.Update(new LeafNode(l.encryptionKey(), l.signatureKey(), l.credential(),
        l.capabilities(), LeafNodeSource.UPDATE, null, null, List.of(), new byte[] {0}));
  }

  private static void assertRule(Sender committer, List<CoveredProposal> list, boolean path,
      Rule rule) {
    assertThatThrownBy(() -> ProposalListRules.check(committer, list, path))
        .isInstanceOfSatisfying(ProposalListException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.rule()).isEqualTo(rule));
  }

  private static CoveredProposal val(Proposal p, Sender committer) {
    return CoveredProposal.byValue(p, committer);
  }

  @Test
  void ordinaryMemberCommitPasses() {
    List<CoveredProposal> list = List.of(val(add((byte) 1), ALICE), val(add((byte) 2), ALICE),
        CoveredProposal.byReference(update(), BOB), val(new Proposal.Remove(2), ALICE));
    assertThatCode(() -> ProposalListRules.check(ALICE, list, true)).doesNotThrowAnyException();
    assertThatCode(() -> ProposalListRules.check(ALICE, List.of(val(add((byte) 1), ALICE)), false))
        .doesNotThrowAnyException();
  }

  @Test
  void committerSenderType() {
    assertRule(new Sender.External(0), List.of(), true, Rule.COMMITTER_SENDER_TYPE);
    assertRule(new Sender.NewMemberProposal(), List.of(), true, Rule.COMMITTER_SENDER_TYPE);
  }

  @Test
  void proposalSenderType() {
    assertRule(ALICE, List.of(CoveredProposal.byReference(update(), new Sender.External(0))), true,
        Rule.PROPOSAL_SENDER_TYPE);
    assertRule(ALICE, List.of(CoveredProposal.byReference(new Proposal.Remove(1),
        new Sender.NewMemberProposal())), true, Rule.PROPOSAL_SENDER_TYPE);
    assertThatCode(() -> ProposalListRules.check(ALICE, List.of(CoveredProposal.byReference(
        new Proposal.Remove(1), new Sender.External(0))), true)).doesNotThrowAnyException();
  }

  @Test
  void updateByCommitter() {
    assertRule(ALICE, List.of(val(update(), ALICE)), true, Rule.UPDATE_BY_COMMITTER);
    assertRule(ALICE, List.of(CoveredProposal.byReference(update(), ALICE)), true,
        Rule.UPDATE_BY_COMMITTER);
  }

  @Test
  void removeOfCommitter() {
    assertRule(BOB, List.of(val(new Proposal.Remove(1), BOB)), true, Rule.REMOVE_OF_COMMITTER);
  }

  @Test
  void sameLeafTwice() {
    assertRule(ALICE, List.of(val(new Proposal.Remove(1), ALICE),
        CoveredProposal.byReference(update(), BOB)), true, Rule.SAME_LEAF_TWICE);
    assertRule(ALICE, List.of(val(new Proposal.Remove(2), ALICE),
        CoveredProposal.byReference(new Proposal.Remove(2), CAROL)), true, Rule.SAME_LEAF_TWICE);
  }

  @Test
  void duplicateAdd() {
    assertRule(ALICE, List.of(val(add((byte) 1), ALICE), val(add((byte) 1), ALICE)), true,
        Rule.DUPLICATE_ADD);
  }

  @Test
  void duplicatePsk() {
    Proposal psk = new Proposal.PreSharedKey(new PreSharedKeyId.External(new byte[] {1},
        new byte[] {2}));
    Proposal other = new Proposal.PreSharedKey(new PreSharedKeyId.External(new byte[] {1},
        new byte[] {3}));
    assertThatCode(() -> ProposalListRules.check(ALICE, List.of(val(psk, ALICE), val(other, ALICE)),
        false)).doesNotThrowAnyException();
    assertRule(ALICE, List.of(val(psk, ALICE), val(psk, ALICE)), false, Rule.DUPLICATE_PSK);
  }

  @Test
  void multipleGroupContextExtensions() {
    Proposal gce = new Proposal.GroupContextExtensions(List.of());
    assertRule(ALICE, List.of(val(gce, ALICE), val(gce, ALICE)), true,
        Rule.MULTIPLE_GROUP_CONTEXT_EXTENSIONS);
  }

  @Test
  void reinitAlone() {
    Proposal reinit = new Proposal.ReInit(new byte[] {1}, 1, 1, List.of());
    assertThatCode(() -> ProposalListRules.check(ALICE, List.of(val(reinit, ALICE)), false))
        .doesNotThrowAnyException();
    assertRule(ALICE, List.of(val(reinit, ALICE), val(add((byte) 1), ALICE)), true,
        Rule.REINIT_NOT_ALONE);
  }

  @Test
  void externalInitOnlyInExternalCommits() {
    assertRule(ALICE, List.of(val(new Proposal.ExternalInit(new byte[] {1}), ALICE)), true,
        Rule.EXTERNAL_INIT_IN_MEMBER_COMMIT);
    assertRule(ALICE, List.of(CoveredProposal.byReference(new Proposal.ExternalInit(new byte[] {1}),
        BOB)), true, Rule.EXTERNAL_INIT_IN_MEMBER_COMMIT);
    assertRule(ALICE, List.of(CoveredProposal.byReference(new Proposal.ExternalInit(new byte[] {1}),
        new Sender.External(0))), true, Rule.PROPOSAL_SENDER_TYPE);
  }

  @Test
  void pathRequired() {
    assertRule(ALICE, List.of(), false, Rule.PATH_REQUIRED);
    assertRule(ALICE, List.of(val(new Proposal.Remove(1), ALICE)), false, Rule.PATH_REQUIRED);
    assertRule(ALICE, List.of(val(new Proposal.GroupContextExtensions(List.of()), ALICE)), false,
        Rule.PATH_REQUIRED);
  }

  @Test
  void externalCommitRules() {
    Sender joiner = new Sender.NewMemberCommit();
    Proposal init = new Proposal.ExternalInit(new byte[] {1});
    assertThatCode(() -> ProposalListRules.check(joiner,
        List.of(val(init, joiner), val(new Proposal.Remove(3), joiner)), true))
        .doesNotThrowAnyException();
    assertRule(joiner, List.of(val(init, joiner)), false, Rule.EXTERNAL_COMMIT_WITHOUT_PATH);
    assertRule(joiner, List.of(), true, Rule.EXTERNAL_COMMIT_EXTERNAL_INIT_COUNT);
    assertRule(joiner, List.of(val(init, joiner), val(init, joiner)), true,
        Rule.EXTERNAL_COMMIT_EXTERNAL_INIT_COUNT);
    assertRule(joiner, List.of(val(init, joiner), val(update(), joiner)), true,
        Rule.EXTERNAL_COMMIT_PROPOSAL_NOT_ALLOWED);
    assertRule(joiner, List.of(val(init, joiner), val(add((byte) 1), joiner)), true,
        Rule.EXTERNAL_COMMIT_PROPOSAL_NOT_ALLOWED);
    assertRule(joiner, List.of(val(init, joiner), val(new Proposal.Remove(3), joiner),
        val(new Proposal.Remove(4), joiner)), true, Rule.EXTERNAL_COMMIT_MULTIPLE_REMOVE);
    Proposal psk = new Proposal.PreSharedKey(new PreSharedKeyId.External(new byte[] {1},
        new byte[] {2}));
    assertThatCode(() -> ProposalListRules.check(joiner,
        List.of(val(psk, joiner), val(init, joiner)), true)).doesNotThrowAnyException();
    assertRule(joiner, List.of(val(init, joiner),
        CoveredProposal.byReference(new Proposal.Remove(1), BOB)), true,
        Rule.EXTERNAL_COMMIT_BY_REFERENCE);
  }
}
