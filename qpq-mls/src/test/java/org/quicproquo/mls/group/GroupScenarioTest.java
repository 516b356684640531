package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.LeafIndex;

/** Multi-member groups in one JVM: every member must end in the same epoch with the same keys. */
class GroupScenarioTest {

  private static void everyoneSends(List<Group> members) throws Exception {
    for (Group sender : members) {
      if (!sender.isActive()) {
        continue;
      }
      String text = "hi from " + sender.ownLeafIndex().value() + " in " + sender.epoch();
      MLSMessage m = sender.encrypt(text.getBytes(StandardCharsets.UTF_8));
      for (GroupEvent e : Clients.deliver(members, sender, m)) {
        assertThat(e).isInstanceOf(GroupEvent.ApplicationMessage.class);
        GroupEvent.ApplicationMessage am = (GroupEvent.ApplicationMessage) e;
        assertThat(am.sender()).isEqualTo(sender.ownLeafIndex());
        assertThat(new String(am.data(), StandardCharsets.UTF_8)).isEqualTo(text);
      }
    }
  }

  private static List<Group> active(List<Group> members) {
    return members.stream().filter(Group::isActive).toList();
  }

  @ParameterizedTest(name = "encryptHandshake={0}")
  @ValueSource(booleans = {false, true})
  void tenMembersAddRemoveUpdateAndTalk(boolean encryptHandshake) throws Exception {
    GroupOptions opts = new GroupOptions(encryptHandshake, true, encryptHandshake ? 16 : 0);
    List<Group> members = new ArrayList<>(Clients.group(10, opts));
    assertThat(Clients.sameAuthenticator(members)).isTrue();
    assertThat(members.get(9).members()).hasSize(10);
    everyoneSends(members);

    // Member 3 proposes an Update, member 5 proposes removing member 7; member 1 commits both
    // (by reference) and adds a newcomer inline.
    Group m3 = members.get(3);
    Group m5 = members.get(5);
    Group m1 = members.get(1);
    for (GroupEvent e : Clients.deliver(members, m3, m3.proposeUpdate())) {
      assertThat(e).isInstanceOf(GroupEvent.ProposalReceived.class);
    }
    Clients.deliver(members, m5, m5.proposeRemove(new LeafIndex(7)));
    KeyPackageBundle newcomer = Clients.bundle("newcomer");
    CommitResult r = m1.commit(List.of(new Proposal.Add(newcomer.keyPackage())));
    List<GroupEvent> events = Clients.deliver(members, m1, r.commit());
    m1.mergePendingCommit();
    Group removed = members.get(7);
    assertThat(removed.isActive()).isFalse();
    for (GroupEvent e : events) {
      GroupEvent.CommitApplied ca = (GroupEvent.CommitApplied) e;
      assertThat(ca.removed()).extracting(Member::leafIndex).containsExactly(new LeafIndex(7));
      if (!ca.selfRemoved()) {
        assertThat(ca.added()).hasSize(1);
        assertThat(ca.updated()).extracting(Member::leafIndex)
            .contains(new LeafIndex(1), new LeafIndex(3));
        assertThat(ca.newEpoch()).isEqualTo(2);
      }
    }
    Group joined = Group.join(Clients.SUITE, r.welcome().orElseThrow(), newcomer,
        Optional.empty(), ExternalPsks.none(), opts);
    members.add(joined);
    List<Group> live = active(members);
    assertThat(live).hasSize(10);
    assertThat(Clients.sameAuthenticator(live)).isTrue();
    assertThat(joined.ownLeafIndex()).isEqualTo(new LeafIndex(7));
    everyoneSends(live);

    // Several more epochs: empty commits (path-only updates) by different members.
    for (int i : new int[] {0, 4, 7, 9}) {
      Group c = live.get(i);
      CommitResult rr = c.commit(List.of());
      Clients.deliver(live, c, rr.commit());
      c.mergePendingCommit();
      assertThat(Clients.sameAuthenticator(live)).isTrue();
    }
    assertThat(live.get(0).epoch()).isEqualTo(6);
    everyoneSends(live);
  }

  @Test
  void hundredMembers() throws Exception {
    List<Group> members = new ArrayList<>(Clients.group(100, GroupOptions.defaults()));
    assertThat(Clients.sameAuthenticator(members)).isTrue();
    // A member far from the creator removes two others and updates its own path.
    Group c = members.get(57);
    CommitResult r = c.commit(List.of(Proposal.Remove.of(new LeafIndex(3)),
        Proposal.Remove.of(new LeafIndex(99))));
    Clients.deliver(members, c, r.commit());
    c.mergePendingCommit();
    List<Group> live = active(members);
    assertThat(live).hasSize(98);
    assertThat(Clients.sameAuthenticator(live)).isTrue();
    // A few messages from various members reach everyone.
    for (int i : new int[] {0, 42, 97}) {
      Group s = live.get(i);
      MLSMessage m = s.encrypt(new byte[] {(byte) i});
      for (GroupEvent e : Clients.deliver(live, s, m)) {
        assertThat(((GroupEvent.ApplicationMessage) e).data()).containsExactly((byte) i);
      }
    }
    // An update proposal committed by someone else.
    Group u = live.get(10);
    Clients.deliver(live, u, u.proposeUpdate());
    Group committer = live.get(80);
    CommitResult r2 = committer.commit(List.of());
    Clients.deliver(live, committer, r2.commit());
    committer.mergePendingCommit();
    assertThat(Clients.sameAuthenticator(live)).isTrue();
    assertThat(live.get(0).epoch()).isEqualTo(3);
  }

  @ParameterizedTest(name = "encryptHandshake={0}")
  @ValueSource(booleans = {false, true})
  void externalJoinAndExporterAgree(boolean encryptHandshake) throws Exception {
    GroupOptions opts = new GroupOptions(encryptHandshake, true, 0);
    List<Group> members = new ArrayList<>(Clients.group(3, opts));
    KeyPackageBundle outsider = Clients.bundle("outsider");
    ExternalJoin ej = Group.joinExternal(Clients.SUITE, members.get(2).groupInfo(),
        Optional.empty(), outsider.keyPackage().leafNode().credential(),
        outsider.signatureKeyPair(), opts);
    List<GroupEvent> events = Clients.deliver(members, null, ej.commit());
    for (GroupEvent e : events) {
      GroupEvent.CommitApplied ca = (GroupEvent.CommitApplied) e;
      assertThat(ca.added()).hasSize(1);
      assertThat(ca.added().get(0).leafIndex()).isEqualTo(ej.group().ownLeafIndex());
    }
    members.add(ej.group());
    assertThat(Clients.sameAuthenticator(members)).isTrue();
    assertThat(ej.group().exportSecret("file key", new byte[0], 16))
        .isEqualTo(members.get(0).exportSecret("file key", new byte[0], 16));
    everyoneSends(members);
    // The new member commits in turn; everyone follows.
    CommitResult r = ej.group().commit(List.of());
    Clients.deliver(members, ej.group(), r.commit());
    ej.group().mergePendingCommit();
    assertThat(Clients.sameAuthenticator(members)).isTrue();
  }

  @Test
  void pendingCommitCanBeDiscardedWhenAnotherWins() throws Exception {
    List<Group> members = Clients.group(3, GroupOptions.defaults());
    Group a = members.get(0);
    Group b = members.get(1);
    CommitResult mine = a.commit(List.of());
    CommitResult theirs = b.commit(List.of());
    assertThat(mine.newEpoch()).isEqualTo(theirs.newEpoch());
    // The delivery service sequenced b's commit first: a processes it, which drops a's own.
    a.process(theirs.commit());
    members.get(2).process(theirs.commit());
    b.mergePendingCommit();
    assertThat(a.hasPendingCommit()).isFalse();
    assertThat(Clients.sameAuthenticator(members)).isTrue();
  }

  @Test
  void pathlessAddOnlyCommitsAreProcessed() throws Exception {
    List<Group> members = new ArrayList<>(Clients.group(4, GroupOptions.defaults()));
    Group c = members.get(2);
    KeyPackageBundle newcomer = Clients.bundle("newcomer");
    CommitResult r = c.commit(List.of(new Proposal.Add(newcomer.keyPackage())), false);
    assertThat(((org.quicproquo.mls.message.Commit) r.commit()
        .as(org.quicproquo.mls.message.PublicMessage.class).content().content()).path()).isNull();
    Clients.deliver(members, c, r.commit());
    c.mergePendingCommit();
    members.add(Group.join(Clients.SUITE, r.welcome().orElseThrow(), newcomer, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults()));
    assertThat(Clients.sameAuthenticator(members)).isTrue();
    // A remove needs a path even when none is forced.
    CommitResult rr = members.get(4).commit(List.of(Proposal.Remove.of(new LeafIndex(0))), false);
    Clients.deliver(members, members.get(4), rr.commit());
    members.get(4).mergePendingCommit();
    List<Group> live = active(members);
    assertThat(live).hasSize(4);
    assertThat(Clients.sameAuthenticator(live)).isTrue();
    everyoneSends(live);
  }
}
