package org.quicproquo.mls.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.mls.compliance.Fixture.assertAgree;
import static org.quicproquo.mls.compliance.Fixture.assertRejected;
import static org.quicproquo.mls.compliance.Fixture.assertStillWorks;
import static org.quicproquo.mls.compliance.Fixture.commitAll;
import static org.quicproquo.mls.compliance.Fixture.deliver;
import static org.quicproquo.mls.compliance.Fixture.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.RejectReason;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * Epoch advancement (RFC 9420 §8, §14): messages of other epochs, competing commits, forked
 * histories, and agreement on the epoch authenticator and exporter.
 */
class EpochTest {

  @Test
  @DisplayName("§8 §6 a proposal from a future epoch is rejected, and accepted once the commit that starts that epoch arrives")
  void proposalFromAFutureEpoch() throws Exception {
    List<Group> g = Fixture.group(3).members();
    Group alice = g.get(0);
    Group bob = g.get(1);
    Group carol = g.get(2);
    CommitResult r = alice.commit(List.of());
    alice.mergePendingCommit();
    MLSMessage early = alice.proposeUpdate();
    assertRejected(bob, early, RejectReason.WRONG_EPOCH, carol);
    bob.process(wire(r.commit()));
    assertThat(bob.process(wire(early))).isInstanceOf(GroupEvent.ProposalReceived.class);
  }

  @Test
  @DisplayName("§14 an application message from a future epoch is rejected without burning its key, and read after the commit")
  void applicationMessageFromAFutureEpoch() throws Exception {
    List<Group> g = Fixture.group(3).members();
    Group alice = g.get(0);
    Group bob = g.get(1);
    CommitResult r = alice.commit(List.of());
    alice.mergePendingCommit();
    MLSMessage early = alice.encrypt("from the future".getBytes(StandardCharsets.UTF_8));
    assertRejected(bob, early, RejectReason.WRONG_EPOCH, g.get(2));
    bob.process(wire(r.commit()));
    GroupEvent.ApplicationMessage am = (GroupEvent.ApplicationMessage) bob.process(wire(early));
    assertThat(new String(am.data(), StandardCharsets.UTF_8)).isEqualTo("from the future");
  }

  @Test
  @DisplayName("§8.7 epoch authenticators agree among all members in every epoch and never repeat")
  void epochAuthenticatorsAgreeAndChange() throws Exception {
    List<Group> g = new ArrayList<>(Fixture.group(4).members());
    Set<String> seen = new HashSet<>();
    seen.add(HexFormat.of().formatHex(g.get(0).epochAuthenticator()));
    KeyPackageBundle eve = Fixture.bundle("eve");
    CommitResult add = commitAll(g, g.get(1), List.of(new Proposal.Add(eve.keyPackage())));
    g.add(Group.join(Fixture.SUITE, add.welcome().orElseThrow(), eve, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults()));
    assertAgree(g);
    seen.add(HexFormat.of().formatHex(g.get(0).epochAuthenticator()));
    for (int i = 0; i < g.size(); i++) {
      Group committer = g.get(i);
      if (!committer.isActive()) {
        continue;
      }
      List<Proposal> inline = i == 2 ? List.of(Proposal.Remove.of(new LeafIndex(3)))
          : List.of();
      commitAll(g, committer, inline);
      assertAgree(g);
      assertThat(seen.add(HexFormat.of().formatHex(committer.epochAuthenticator()))).isTrue();
    }
    assertThat(seen).hasSize(6);
  }

  @Test
  @DisplayName("§8.5 exporter outputs agree across members, depend on label and context, and change with the epoch")
  void exporterAgreesAndChanges() throws Exception {
    List<Group> g = Fixture.group(3).members();
    byte[] ctx = {1, 2, 3};
    byte[] a = g.get(0).exportSecret("qpq test", ctx, 32);
    for (Group m : g) {
      assertThat(m.exportSecret("qpq test", ctx, 32)).isEqualTo(a);
    }
    assertThat(g.get(1).exportSecret("qpq other", ctx, 32)).isNotEqualTo(a);
    assertThat(g.get(1).exportSecret("qpq test", new byte[] {1, 2, 4}, 32)).isNotEqualTo(a);
    commitAll(g, g.get(2), List.of());
    byte[] b = g.get(1).exportSecret("qpq test", ctx, 32);
    assertThat(b).isNotEqualTo(a);
    assertThat(g.get(0).exportSecret("qpq test", ctx, 32)).isEqualTo(b);
  }

  @Test
  @DisplayName("§8 §14 a competing commit of the same epoch is rejected by members that applied the winner; its author recovers")
  void losingCompetingCommit() throws Exception {
    List<Group> g = Fixture.group(3).members();
    Group alice = g.get(0);
    Group bob = g.get(1);
    Group carol = g.get(2);
    CommitResult winner = alice.commit(List.of());
    CommitResult loser = bob.commit(List.of(Proposal.Remove.of(new LeafIndex(2))));
    carol.process(wire(winner.commit()));
    alice.mergePendingCommit();
    assertRejected(carol, loser.commit(), RejectReason.WRONG_EPOCH, alice);
    bob.process(wire(winner.commit()));
    assertThat(bob.hasPendingCommit()).isFalse();
    assertAgree(g);
    assertStillWorks(bob, carol);
  }

  @Test
  @DisplayName("§12.4 a member's own commit echoed back is rejected as OWN_COMMIT and the pending commit still merges")
  void ownCommitEchoedBack() throws Exception {
    List<Group> g = Fixture.group(3).members();
    Group alice = g.get(0);
    CommitResult r = alice.commit(List.of());
    assertRejected(alice, r.commit(), RejectReason.OWN_COMMIT, g.get(1));
    assertThat(alice.hasPendingCommit()).isTrue();
    deliver(g, alice, r.commit());
    alice.mergePendingCommit();
    assertAgree(g);
    // After merging, the echo belongs to a past epoch.
    assertRejected(alice, r.commit(), RejectReason.WRONG_EPOCH, g.get(2));
  }

  @Test
  @DisplayName("§8 two histories with the same epoch number do not interoperate: a message of the other branch does not decrypt")
  void forkedHistoriesDoNotInteroperate() throws Exception {
    List<Group> g = Fixture.group(3).members();
    Group alice = g.get(0);
    Group aliceFork = Group.restore(alice.save(), new SecureRandom());
    Group bob = g.get(1);
    Group carol = g.get(2);
    CommitResult a = alice.commit(List.of());
    alice.mergePendingCommit();
    bob.process(wire(a.commit()));
    CommitResult b = aliceFork.commit(List.of());
    aliceFork.mergePendingCommit();
    carol.process(wire(b.commit()));
    assertThat(bob.epoch()).isEqualTo(carol.epoch());
    assertThat(bob.epochAuthenticator()).isNotEqualTo(carol.epochAuthenticator());
    assertRejected(bob, carol.encrypt(new byte[] {7}), RejectReason.DECRYPTION_FAILED, alice);
    // A handshake message of the other branch fails its membership tag.
    assertRejected(bob, aliceFork.proposeUpdate(), RejectReason.BAD_MEMBERSHIP_TAG, alice);
  }
}
