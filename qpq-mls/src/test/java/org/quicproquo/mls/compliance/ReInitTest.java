package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.mls.compliance.Fixture.SUITE;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertRefused;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.deliver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupStateException;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.Commit;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalOrRef;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;

/** ReInit (RFC 9420 §11.2, §12.1.5): alone in its commit, and the end of the old group. */
class ReInitTest {
  private static final byte[] NEXT = "next group".getBytes(StandardCharsets.UTF_8);
  private Fixture.Party p;

  @BeforeEach
  void setUp() throws Exception {
    p = Fixture.group(3);
  }

  private static Proposal reInit() {
    return new Proposal.ReInit(NEXT, KeyPackage.MLS10, SUITE.id().code(), List.of());
  }

  @Test
  @DisplayName("§12.1.5 §12.2 a committer refuses a ReInit together with another proposal")
  void committerRefusesReInitWithOthers() throws Exception {
    assertRefused(p.get(0), () -> p.get(0).commit(List.of(reInit(),
        Proposal.Remove.of(new LeafIndex(2)))), RejectReason.INVALID_PROPOSAL, p.get(1));
  }

  @Test
  @DisplayName("§12.1.5 §12.2 a commit covering a ReInit and another proposal is rejected")
  void reInitWithOthersIsRejected() throws Exception {
    CommitResult real = p.get(0).commit(List.of());
    p.get(0).discardPendingCommit();
    MLSMessage c = p.insider(1).commit(new LeafIndex(0), p.signatureKey(0), List.of(
        new ProposalOrRef.ByValue(reInit()),
        new ProposalOrRef.ByValue(Proposal.Remove.of(new LeafIndex(2)))),
        ((Commit) real.commit().as(PublicMessage.class).content().content()).path());
    assertRejected(p.get(1), c, RejectReason.INVALID_PROPOSAL, p.get(2));
  }

  @Test
  @DisplayName("§12.1.5 a ReInit proposal for a protocol version below the group's is rejected on receipt")
  void reInitToALowerVersion() throws Exception {
    MLSMessage lower = p.insider(1).publicMessage(new LeafIndex(1), p.signatureKey(1),
        new Proposal.ReInit(NEXT, 0, SUITE.id().code(), List.of()), null);
    assertRejected(p.get(2), lower, RejectReason.INVALID_PROPOSAL, p.get(0));
  }

  @Test
  @DisplayName("§11.2 §12.1.5 after a ReInit commit the old group sends no application messages and no commits")
  void oldGroupIsClosedAfterReInit() throws Exception {
    deliver(p.members(), p.get(1), p.get(1).proposeReInit(NEXT, SUITE, List.of()));
    Group alice = p.get(0);
    CommitResult r = alice.commit(List.of());
    for (GroupEvent e : deliver(p.members(), alice, r.commit())) {
      assertThat(((GroupEvent.CommitApplied) e).reInit()).isPresent();
    }
    alice.mergePendingCommit();
    for (Group m : p.members()) {
      // The final epoch is shared (its resumption PSK seeds the new group), but closed.
      assertThat(m.epochAuthenticator()).isEqualTo(alice.epochAuthenticator());
      assertThat(m.isActive()).isFalse();
      assertThatThrownBy(() -> m.encrypt(new byte[] {1})).isInstanceOf(GroupStateException.class);
      assertThatThrownBy(() -> m.commit(List.of())).isInstanceOf(GroupStateException.class);
      assertThatThrownBy(() -> m.proposeUpdate()).isInstanceOf(GroupStateException.class);
    }
    // Nor does it process anything more.
    assertThatThrownBy(() -> p.get(2).process(Fixture.wire(r.commit())))
        .isInstanceOf(GroupStateException.class);
  }

  @Test
  @DisplayName("§11.2 a committer prefers other pending proposals over a ReInit, which waits for a later epoch")
  void otherProposalsGoFirst() throws Exception {
    deliver(p.members(), p.get(1), p.get(1).proposeReInit(NEXT, SUITE, List.of()));
    deliver(p.members(), p.get(2), p.get(2).proposeUpdate());
    Group alice = p.get(0);
    CommitResult r = alice.commit(List.of());
    for (GroupEvent e : deliver(p.members(), alice, r.commit())) {
      GroupEvent.CommitApplied ca = (GroupEvent.CommitApplied) e;
      assertThat(ca.reInit()).isEmpty();
      assertThat(ca.updated()).extracting(m -> m.leafIndex()).contains(new LeafIndex(2));
    }
    alice.mergePendingCommit();
    assertAgree(p.members());
    Fixture.assertStillWorks(p.get(1), p.get(2));
  }
}
