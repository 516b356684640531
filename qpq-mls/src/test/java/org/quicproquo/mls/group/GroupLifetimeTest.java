package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;

/**
 * KeyPackage lifetimes (RFC 9420 §7.2, §10.1, §12.2, §12.4.3.1) are checked against the group's
 * injected clock: on propose, on commit, on processing a received proposal or commit, and when
 * joining. Every refusal leaves the saved state byte for byte unchanged.
 */
class GroupLifetimeTest {
  private static final long NOW = 1_800_000_000L;
  private static final Clock AT_NOW = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final GroupOptions OPTS = GroupOptions.defaults().withClock(AT_NOW);

  private static final Lifetime VALID = new Lifetime(NOW - 10, NOW + 10);
  private static final Lifetime EXPIRED = new Lifetime(NOW - 1000, NOW - 1);
  private static final Lifetime NOT_YET_VALID = new Lifetime(NOW + 1, NOW + 1000);

  private static Clock at(long seconds) {
    return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  private static KeyPackageBundle bundle(String name, Lifetime lifetime) throws Exception {
    SignatureKeyPair sig = Clients.SUITE.generateSignatureKeyPair();
    return Group.generateKeyPackage(Clients.SUITE,
        Credential.basic(name.getBytes(StandardCharsets.UTF_8)), sig,
        Group.defaultCapabilities(Clients.SUITE, CredentialType.BASIC), lifetime);
  }

  private static void assertLifetimeRefused(Group g, ThrowingAction action) {
    byte[] before = g.save();
    assertThatThrownBy(action::run)
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_LIFETIME));
    assertThat(g.save()).isEqualTo(before);
    assertThat(g.hasPendingCommit()).isFalse();
  }

  interface ThrowingAction {
    void run() throws Exception;
  }

  @Test
  void proposeAddRefusesExpiredAndNotYetValidKeyPackages() throws Exception {
    Group alice = Clients.create("alice", OPTS);
    for (Lifetime bad : List.of(EXPIRED, NOT_YET_VALID)) {
      KeyPackageBundle b = bundle("bob", bad);
      assertLifetimeRefused(alice, () -> alice.proposeAdd(b.keyPackage()));
    }
    // The boundaries are inclusive (§7.2: not_before <= now <= not_after).
    alice.proposeAdd(bundle("edge1", new Lifetime(NOW, NOW + 5)).keyPackage());
    alice.proposeAdd(bundle("edge2", new Lifetime(NOW - 5, NOW)).keyPackage());
  }

  @Test
  void commitRefusesInlineAddsOutsideTheirLifetime() throws Exception {
    Group alice = Clients.create("alice", OPTS);
    for (Lifetime bad : List.of(EXPIRED, NOT_YET_VALID)) {
      KeyPackageBundle b = bundle("bob", bad);
      assertLifetimeRefused(alice,
          () -> alice.commit(List.of(new Proposal.Add(b.keyPackage()))));
    }
    CommitResult ok = alice.commit(List.of(new Proposal.Add(bundle("bob", VALID).keyPackage())));
    assertThat(ok.added()).hasSize(1);
  }

  @Test
  void committerLeavesOutACachedAddThatExpiredSinceItWasProposed() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    Group alice = Clients.create("alice", GroupOptions.defaults().withClock(clock));
    alice.proposeAdd(bundle("bob", VALID).keyPackage());
    clock.set(NOW + 11);
    CommitResult r = alice.commit(List.of());
    assertThat(r.added()).isEmpty();
    assertThat(r.welcome()).isEmpty();
  }

  @Test
  void receiverRejectsCommitWithAddOutsideLifetimeAndStaysUnchanged() throws Exception {
    List<Group> g = Clients.group(2, OPTS);
    Group alice = g.get(0);
    SecureRandom random = new SecureRandom();
    // Copies of Bob whose clocks are past the key package's not_after and before its not_before.
    Group bobLater = Group.restore(g.get(1).save(), random, at(NOW + 2000));
    Group bobEarlier = Group.restore(g.get(1).save(), random, at(NOW - 2000));

    CommitResult r = alice.commit(List.of(new Proposal.Add(bundle("dave", VALID).keyPackage())));
    for (Group receiver : List.of(bobLater, bobEarlier)) {
      assertLifetimeRefused(receiver,
          () -> receiver.process(MLSMessage.fromBytes(r.commit().toBytes())));
    }
    // With Alice's clock the same commit is fine.
    GroupEvent.CommitApplied ok = (GroupEvent.CommitApplied) g.get(1).process(
        MLSMessage.fromBytes(r.commit().toBytes()));
    assertThat(ok.added()).hasSize(1);
  }

  @Test
  void receiverRejectsAddProposalOutsideLifetime() throws Exception {
    List<Group> g = Clients.group(2, OPTS);
    Group bobLater = Group.restore(g.get(1).save(), new SecureRandom(), at(NOW + 2000));
    MLSMessage proposal = g.get(0).proposeAdd(bundle("dave", VALID).keyPackage());
    assertLifetimeRefused(bobLater,
        () -> bobLater.process(MLSMessage.fromBytes(proposal.toBytes())));
  }

  @Test
  void joinerRefusesWelcomeWhenItsOwnKeyPackageIsOutsideItsLifetime() throws Exception {
    Group alice = Clients.create("alice", OPTS);
    KeyPackageBundle bob = bundle("bob", VALID);
    CommitResult r = alice.commit(List.of(new Proposal.Add(bob.keyPackage())));
    for (long t : new long[] {NOW + 2000, NOW - 2000}) {
      assertThatThrownBy(() -> Group.join(Clients.SUITE, r.welcome().orElseThrow(), bob,
          Optional.empty(), ExternalPsks.none(), GroupOptions.defaults().withClock(at(t))))
          .isInstanceOf(MessageRejectedException.class)
          .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
              .isEqualTo(RejectReason.INVALID_LIFETIME));
    }
    Group joined = Group.join(Clients.SUITE, r.welcome().orElseThrow(), bob, Optional.empty(),
        ExternalPsks.none(), OPTS);
    alice.mergePendingCommit();
    assertThat(joined.epochAuthenticator()).isEqualTo(alice.epochAuthenticator());
  }

  @Test
  void joinerRefusesTreeWithAnotherMembersExpiredKeyPackageLeaf() throws Exception {
    // Bob joins from a short-lived key package and never commits or updates, so his leaf keeps
    // its key_package source and lifetime.
    MutableClock clock = new MutableClock(NOW);
    Group alice = Clients.create("alice", GroupOptions.defaults().withClock(clock));
    alice.commit(List.of(new Proposal.Add(bundle("bob", VALID).keyPackage())));
    alice.mergePendingCommit();
    clock.set(NOW + 2000);
    KeyPackageBundle carol = Clients.bundle("carol");
    CommitResult r = alice.commit(List.of(new Proposal.Add(carol.keyPackage())));
    assertThatThrownBy(() -> Group.join(Clients.SUITE, r.welcome().orElseThrow(), carol,
        Optional.empty(), ExternalPsks.none(), GroupOptions.defaults().withClock(at(NOW + 2000))))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_LIFETIME))
        .hasMessageContaining("leaf 1");
    // While Bob's key package was valid, Carol could join.
    Group carolGroup = Group.join(Clients.SUITE, r.welcome().orElseThrow(), carol,
        Optional.empty(), ExternalPsks.none(), OPTS);
    assertThat(carolGroup.members()).hasSize(3);
  }

  @Test
  void externalJoinerRefusesTreeWithExpiredKeyPackageLeaf() throws Exception {
    Group alice = Clients.create("alice", OPTS);
    alice.commit(List.of(new Proposal.Add(bundle("bob", VALID).keyPackage())));
    alice.mergePendingCommit();
    KeyPackageBundle eve = Clients.bundle("eve");
    assertThatThrownBy(() -> Group.joinExternal(Clients.SUITE, alice.groupInfo(),
        Optional.empty(), eve.keyPackage().leafNode().credential(), eve.signatureKeyPair(),
        GroupOptions.defaults().withClock(at(NOW + 2000))))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_LIFETIME));
  }

  @Test
  void restoreWithoutClockUsesSystemClockAndClockIsNotSaved() throws Exception {
    Group alice = Clients.create("alice", OPTS);
    Group restored = Group.restore(alice.save(), new SecureRandom());
    assertThat(restored.state().options().clock()).isEqualTo(Clock.systemUTC());
    assertThat(restored.save()).isEqualTo(alice.save());
    Group fixed = Group.restore(alice.save(), new SecureRandom(), AT_NOW);
    assertThat(fixed.state().options()).isEqualTo(OPTS);
  }

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    private long seconds;

    MutableClock(long seconds) {
      this.seconds = seconds;
    }

    void set(long s) {
      seconds = s;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds);
    }
  }
}
