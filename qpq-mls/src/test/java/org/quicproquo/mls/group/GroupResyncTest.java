package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * External join with resync (RFC 9420 §12.2, §12.4.3.2): a member that lost its state rejoins by
 * an external commit that also removes its old leaf; an external commit removing someone else's
 * leaf is rejected.
 */
class GroupResyncTest {

  private static Credential basic(String name) {
    return Credential.basic(name.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void memberThatLostItsStateRejoinsAndReplacesItsOldLeaf(boolean encryptHandshake)
      throws Exception {
    GroupOptions opts = new GroupOptions(encryptHandshake, true, 0);
    List<Group> g = Clients.group(3, opts);
    Group alice = g.get(0);
    Group lostBob = g.get(1);
    Group carol = g.get(2);
    long epoch = alice.epoch();

    // Bob lost his state: only his identity (and a fresh signature key) is left.
    ExternalJoin ej = Group.joinExternal(Clients.SUITE, carol.groupInfo(), Optional.empty(),
        basic("m1"), Clients.SUITE.generateSignatureKeyPair(), opts,
        Optional.of(new LeafIndex(1)));
    Group bob = ej.group();

    for (Group receiver : List.of(alice, carol)) {
      GroupEvent.CommitApplied ca = (GroupEvent.CommitApplied) receiver.process(
          MLSMessage.fromBytes(ej.commit().toBytes()));
      assertThat(ca.removed()).extracting(Member::leafIndex).containsExactly(new LeafIndex(1));
      assertThat(ca.added()).extracting(Member::leafIndex)
          .containsExactly(bob.ownLeafIndex());
      assertThat(ca.added().get(0).credential()).isEqualTo(basic("m1"));
      assertThat(ca.newEpoch()).isEqualTo(epoch + 1);
    }
    // The old leaf was blanked and the new one took the leftmost blank: the same position,
    // with the new signature key.
    assertThat(bob.ownLeafIndex()).isEqualTo(new LeafIndex(1));
    assertThat(alice.members()).hasSize(3);
    assertThat(alice.members().get(1).signatureKey())
        .isEqualTo(bob.members().get(1).signatureKey())
        .isNotEqualTo(lostBob.members().get(1).signatureKey());
    List<Group> now = List.of(alice, bob, carol);
    assertThat(Clients.sameAuthenticator(now)).isTrue();
    assertThat(bob.epoch()).isEqualTo(epoch + 1);

    // The old state, if it ever comes back, learns that it was removed.
    GroupEvent.CommitApplied old = (GroupEvent.CommitApplied) lostBob.process(
        MLSMessage.fromBytes(ej.commit().toBytes()));
    assertThat(old.selfRemoved()).isTrue();
    assertThat(lostBob.isActive()).isFalse();

    // Everyone can talk and the resynced member can commit.
    for (Group sender : now) {
      byte[] text = ("from " + sender.ownLeafIndex().value()).getBytes(StandardCharsets.UTF_8);
      MLSMessage m = sender.encrypt(text);
      for (Group r : now) {
        if (r != sender) {
          GroupEvent.ApplicationMessage am = (GroupEvent.ApplicationMessage) r.process(
              MLSMessage.fromBytes(m.toBytes()));
          assertThat(am.data()).isEqualTo(text);
        }
      }
    }
    CommitResult r = bob.commit(List.of());
    Clients.deliver(new ArrayList<>(now), bob, r.commit());
    bob.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(now)).isTrue();
  }

  @Test
  void joinerRefusesToRemoveALeafOfAnotherIdentity() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    assertThatThrownBy(() -> Group.joinExternal(Clients.SUITE, g.get(0).groupInfo(),
        Optional.empty(), basic("mallory"), Clients.SUITE.generateSignatureKeyPair(),
        GroupOptions.defaults(), Optional.of(new LeafIndex(1))))
        .isInstanceOf(GroupStateException.class);
    assertThatThrownBy(() -> Group.joinExternal(Clients.SUITE, g.get(0).groupInfo(),
        Optional.empty(), basic("m1"), Clients.SUITE.generateSignatureKeyPair(),
        GroupOptions.defaults(), Optional.of(new LeafIndex(7))))
        .isInstanceOf(GroupStateException.class);
  }

  @Test
  void externalCommitRemovingAnotherIdentityIsRejectedWithStateUnchanged() throws Exception {
    List<Group> g = Clients.group(3, GroupOptions.defaults());
    Group alice = g.get(0);
    Group carol = g.get(2);
    // Mallory builds the commit a careless (or hostile) joiner would send: it removes Bob.
    JoinFlow.External hostile = JoinFlow.external(Clients.SUITE, alice.groupInfo(),
        Optional.empty(), basic("mallory"), Clients.SUITE.generateSignatureKeyPair(),
        Group.defaultCapabilities(Clients.SUITE, CredentialType.BASIC), GroupOptions.defaults(),
        Optional.of(new LeafIndex(1)), false);
    for (Group receiver : List.of(alice, g.get(1), carol)) {
      byte[] before = receiver.save();
      assertThatThrownBy(() -> receiver.process(MLSMessage.fromBytes(hostile.commit().toBytes())))
          .isInstanceOf(MessageRejectedException.class)
          .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
              .isEqualTo(RejectReason.EXTERNAL_REMOVE_NOT_JOINER));
      assertThat(receiver.save()).isEqualTo(before);
    }
    assertThat(alice.members()).hasSize(3);
    assertThat(Clients.sameAuthenticator(g)).isTrue();
  }

  @Test
  void resyncIsNotBlockedByTheJoinersOwnExpiredKeyPackageLeaf() throws Exception {
    long now = 1_800_000_000L;
    java.time.Clock atNow = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(now),
        java.time.ZoneOffset.UTC);
    java.time.Clock later = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(now + 2000),
        java.time.ZoneOffset.UTC);
    Group alice = Clients.create("alice", GroupOptions.defaults().withClock(atNow));
    KeyPackageBundle bobKp = Group.generateKeyPackage(Clients.SUITE, basic("bob"),
        Clients.SUITE.generateSignatureKeyPair(),
        Group.defaultCapabilities(Clients.SUITE, CredentialType.BASIC),
        new org.quicproquo.mls.tree.Lifetime(now - 10, now + 10));
    alice.commit(List.of(new org.quicproquo.mls.message.Proposal.Add(bobKp.keyPackage())));
    alice.mergePendingCommit();
    // Bob never committed, so his leaf still carries the key package's (now expired) lifetime.
    GroupOptions laterOpts = GroupOptions.defaults().withClock(later);
    assertThatThrownBy(() -> Group.joinExternal(Clients.SUITE, alice.groupInfo(),
        Optional.empty(), basic("carol"), Clients.SUITE.generateSignatureKeyPair(), laterOpts))
        .isInstanceOf(MessageRejectedException.class)
        .satisfies(e -> assertThat(((MessageRejectedException) e).reason())
            .isEqualTo(RejectReason.INVALID_LIFETIME));
    // Bob's resync removes that very leaf, so it is exempt.
    ExternalJoin ej = Group.joinExternal(Clients.SUITE, alice.groupInfo(), Optional.empty(),
        basic("bob"), Clients.SUITE.generateSignatureKeyPair(), laterOpts,
        Optional.of(new LeafIndex(1)));
    alice.process(MLSMessage.fromBytes(ej.commit().toBytes()));
    assertThat(alice.epochAuthenticator()).isEqualTo(ej.group().epochAuthenticator());
  }
}
