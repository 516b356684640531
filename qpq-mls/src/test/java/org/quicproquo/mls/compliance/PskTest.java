package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertJoinRejected;
import static org.quicproquo.mls.compliance.Fixture.assertRefused;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.commitAll;
import static org.quicproquo.mls.compliance.Fixture.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.schedule.PreSharedKeyId;
import org.quicproquo.mls.schedule.ResumptionPskUsage;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * PSK injection (RFC 9420 §8.4, §8.6, §12.1.4): external PSKs every member must know,
 * resumption PSKs of earlier epochs, and the proposal-list rules for PSKs.
 */
class PskTest {
  private static final byte[] ID_1 = "psk one".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ID_2 = "psk two".getBytes(StandardCharsets.UTF_8);
  private final byte[] secret1 = SUITE.randomBytes(32);
  private final byte[] secret2 = SUITE.randomBytes(32);

  private Fixture.Party p;

  @BeforeEach
  void setUp() throws Exception {
    p = Fixture.group(4);
  }

  private static PreSharedKeyId external(byte[] id) {
    return new PreSharedKeyId.External(id, SUITE.randomBytes(SUITE.hashLength()));
  }

  private PreSharedKeyId resumption(ResumptionPskUsage usage, long epoch) {
    return new PreSharedKeyId.Resumption(usage, p.get(0).groupId(), epoch,
        SUITE.randomBytes(SUITE.hashLength()));
  }

  @Test
  @DisplayName("§8.4 two external PSKs in one commit are both injected; a member knowing only one rejects it as MISSING_PSK until it learns the other")
  void twoExternalPsks() throws Exception {
    for (int i = 0; i < 4; i++) {
      p.get(i).addExternalPsk(ID_1, secret1);
      if (i != 3) {
        p.get(i).addExternalPsk(ID_2, secret2);
      }
    }
    Group alice = p.get(0);
    CommitResult r = alice.commit(List.of(new Proposal.PreSharedKey(external(ID_1)),
        new Proposal.PreSharedKey(external(ID_2))));
    alice.mergePendingCommit();
    Group dave = p.get(3);
    assertRejected(dave, r.commit(), RejectReason.MISSING_PSK, p.get(1));
    p.get(1).process(wire(r.commit()));
    p.get(2).process(wire(r.commit()));
    dave.addExternalPsk(ID_2, secret2);
    dave.process(wire(r.commit()));
    assertAgree(p.members());
  }

  @Test
  @DisplayName("§8.4 a member holding another secret under the PSK id derives another epoch and rejects the commit on its confirmation tag")
  void wrongExternalPskSecret() throws Exception {
    for (int i = 0; i < 4; i++) {
      p.get(i).addExternalPsk(ID_1, i == 2 ? secret2 : secret1);
    }
    Group alice = p.get(0);
    CommitResult r = alice.commit(List.of(new Proposal.PreSharedKey(external(ID_1))));
    Group carol = p.get(2);
    assertRejected(carol, r.commit(), RejectReason.BAD_CONFIRMATION_TAG, p.get(1));
    carol.addExternalPsk(ID_1, secret1);
    Fixture.deliver(p.members(), alice, r.commit());
    alice.mergePendingCommit();
    assertAgree(p.members());
  }

  @Test
  @DisplayName("§8.4 a committer cannot inject an external PSK it does not know: MISSING_PSK")
  void committerLacksThePsk() throws Exception {
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(new Proposal.PreSharedKey(
        external(ID_1)))), RejectReason.MISSING_PSK, p.get(1));
  }

  @Test
  @DisplayName("§12.2 the same PSK twice in one commit is refused to the committer")
  void samePskTwiceRefused() throws Exception {
    p.get(0).addExternalPsk(ID_1, secret1);
    PreSharedKeyId id = external(ID_1);
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(new Proposal.PreSharedKey(id),
        new Proposal.PreSharedKey(id))), RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§12.2 a commit naming the same PSK twice is rejected by receivers")
  void samePskTwiceRejected() throws Exception {
    for (Group m : p.members()) {
      m.addExternalPsk(ID_1, secret1);
    }
    PreSharedKeyId id = external(ID_1);
    CommitResult real = p.get(0).commit(List.of());
    p.get(0).discardPendingCommit();
    MLSMessage c = p.insider(1).commit(new LeafIndex(0), p.signatureKey(0), List.of(
        new ProposalOrRef.ByValue(new Proposal.PreSharedKey(id)),
        new ProposalOrRef.ByValue(new Proposal.PreSharedKey(id))),
        ((Commit) real.commit().as(PublicMessage.class).content().content()).path());
    assertRejected(p.get(1), c, RejectReason.INVALID_PROPOSAL, p.get(3));
  }

  @Test
  @DisplayName("§8.4 §12.1.4 a PSK proposal whose psk_nonce is not KDF.Nh bytes is rejected on receipt")
  void shortPskNonce() throws Exception {
    MLSMessage bad = p.get(1).proposePsk(new PreSharedKeyId.External(ID_1, new byte[16]));
    assertRejected(p.get(2), bad, RejectReason.INVALID_PROPOSAL, p.get(3));
  }

  @Test
  @DisplayName("§8.6 §12.1.4 a resumption PSK proposal with usage reinit or branch is refused")
  void resumptionUsageMustBeApplication() throws Exception {
    for (ResumptionPskUsage usage : List.of(ResumptionPskUsage.REINIT,
        ResumptionPskUsage.BRANCH)) {
      PreSharedKeyId id = resumption(usage, 0);
      assertRefused(p.get(0), () -> p.get(0).commit(List.of(new Proposal.PreSharedKey(id))),
          RejectReason.INVALID_PROPOSAL, p.get(1));
    }
  }

  @Test
  @DisplayName("§8.6 a resumption PSK of an epoch the member does not hold, or of another group, is MISSING_PSK")
  void resumptionPskNotHeld() throws Exception {
    PreSharedKeyId future = resumption(ResumptionPskUsage.APPLICATION, p.get(0).epoch() + 5);
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(new Proposal.PreSharedKey(future))),
        RejectReason.MISSING_PSK, p.get(1));
    PreSharedKeyId otherGroup = new PreSharedKeyId.Resumption(ResumptionPskUsage.APPLICATION,
        "another group".getBytes(StandardCharsets.UTF_8), 0, SUITE.randomBytes(32));
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(new Proposal.PreSharedKey(
        otherGroup))), RejectReason.MISSING_PSK, p.get(1));
  }

  @Test
  @DisplayName("§8.6 a resumption PSK of an earlier epoch is injected for members, but a new member cannot join with it")
  void resumptionPskAndANewMember() throws Exception {
    Group bob = p.get(1);
    long earlier = bob.epoch();
    commitAll(p.members(), p.get(2), List.of());
    KeyPackageBundle eve = Fixture.bundle("eve");
    CommitResult r = commitAll(p.members(), bob, List.of(new Proposal.PreSharedKey(
        resumption(ResumptionPskUsage.APPLICATION, earlier)),
        new Proposal.Add(eve.keyPackage())));
    assertAgree(p.members());
    assertThat(bob.epoch()).isEqualTo(earlier + 2);
    assertJoinRejected(r.welcome().orElseThrow(), eve, ExternalPsks.none(),
        RejectReason.MISSING_PSK);
  }
}
