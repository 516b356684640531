package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Proposal;

class GroupTest {
  @Test
  void twoMembersAgreeAndExchangeMessages() throws Exception {
    Group alice = Clients.create("alice", GroupOptions.defaults());
    KeyPackageBundle bob = Clients.bundle("bob");
    CommitResult r = alice.commit(List.of(new Proposal.Add(bob.keyPackage())));
    assertThat(r.welcome()).isPresent();
    assertThat(alice.epoch()).isZero();
    alice.mergePendingCommit();
    assertThat(alice.epoch()).isEqualTo(1);

    Group bobGroup = Group.join(Clients.SUITE, r.welcome().get(), bob, Optional.empty(),
        ExternalPsks.none(), GroupOptions.defaults());
    assertThat(bobGroup.epoch()).isEqualTo(1);
    assertThat(bobGroup.epochAuthenticator()).isEqualTo(alice.epochAuthenticator());
    assertThat(bobGroup.members()).hasSize(2);

    MLSMessage m = alice.encrypt("hello".getBytes(StandardCharsets.UTF_8));
    GroupEvent e = bobGroup.process(MLSMessage.fromBytes(m.toBytes()));
    assertThat(e).isInstanceOf(GroupEvent.ApplicationMessage.class);
    GroupEvent.ApplicationMessage am = (GroupEvent.ApplicationMessage) e;
    assertThat(new String(am.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(am.sender().value()).isZero();

    assertThat(bobGroup.exportSecret("test", new byte[] {1}, 32))
        .isEqualTo(alice.exportSecret("test", new byte[] {1}, 32));
  }
}
