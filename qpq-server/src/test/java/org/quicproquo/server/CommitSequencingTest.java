package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcException;

/** First Commit of an epoch wins; real MLS commits relayed through a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitSequencingTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  private byte[] id() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  @Test
  void firstCommitOfAnEpochWinsAndTheLoserIsToldTheCurrentEpoch() throws Exception {
    CipherSuite suite = CipherSuites.of(
        CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, random);
    Capabilities caps = Group.defaultCapabilities(suite, CredentialType.BASIC);
    Lifetime forever = new Lifetime(0, Long.MAX_VALUE);
    KeyPackageBundle aliceKp = Group.generateKeyPackage(suite,
        Credential.basic("alice".getBytes(StandardCharsets.UTF_8)),
        suite.generateSignatureKeyPair(), caps, forever);
    KeyPackageBundle bobKp = Group.generateKeyPackage(suite,
        Credential.basic("bob".getBytes(StandardCharsets.UTF_8)),
        suite.generateSignatureKeyPair(), caps, forever);

    try (QpqServer server = ServerFixture.start(dir);
        TestNode a = TestNode.connect(server);
        TestNode b = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      a.register(alice);
      b.register(bob);
      a.login(alice);
      b.login(bob);
      List<Long> both = List.of(alice.deviceId, bob.deviceId);

      Group aliceGroup = Group.create(suite, "chat-1".getBytes(StandardCharsets.UTF_8), aliceKp,
          List.of(), GroupOptions.defaults());
      CommitResult add = aliceGroup.commit(List.of(new Proposal.Add(bobKp.keyPackage())));
      assertThat(a.enqueueCall(id(), List.of(alice.deviceId), add.commit().toBytes(), true))
          .containsExactly(1, 0);
      aliceGroup.mergePendingCommit();
      Group bobGroup = Group.join(suite, add.welcome().orElseThrow(), bobKp, Optional.empty(),
          ExternalPsks.none(), GroupOptions.defaults());
      assertThat(bobGroup.epoch()).isEqualTo(1);

      // Both members commit on epoch 1 at the same time; the server relays only the first.
      CommitResult fromAlice = aliceGroup.commit(List.of());
      CommitResult fromBob = bobGroup.commit(List.of());
      byte[] aliceCommitId = id();
      assertThat(a.enqueueCall(aliceCommitId, both, fromAlice.commit().toBytes(), true))
          .containsExactly(2, 0);
      RpcException lost = b.fails(NodeService.METHOD_ENQUEUE,
          TestNode.enqueue(id(), both, fromBob.commit().toBytes(), true), NodeErrors.STALE_EPOCH);
      assertThat(lost.detail()).startsWith("current epoch 2");
      // Retrying the winner (lost response) is accepted again and delivers nothing twice.
      assertThat(a.enqueueCall(aliceCommitId, both, fromAlice.commit().toBytes(), true))
          .containsExactly(0, 2);

      // Bob applies the winner from his queue, and the group moves on without forking.
      bobGroup.discardPendingCommit();
      List<TestNode.Envelope> queued = b.fetchCall(bob.deviceId);
      assertThat(queued).hasSize(1);
      bobGroup.process(org.quicproquo.mls.message.MLSMessage.fromBytes(queued.get(0).payload()));
      aliceGroup.mergePendingCommit();
      assertThat(bobGroup.epoch()).isEqualTo(2);
      assertThat(bobGroup.epochAuthenticator()).isEqualTo(aliceGroup.epochAuthenticator());

      // A commit that is not a PublicMessage Commit is refused when flagged as one.
      b.fails(NodeService.METHOD_ENQUEUE,
          TestNode.enqueue(id(), both, bobGroup.encrypt(new byte[] {1}).toBytes(), true),
          NodeErrors.NOT_A_COMMIT);
      b.fails(NodeService.METHOD_ENQUEUE,
          TestNode.enqueue(id(), both, new byte[] {0, 1, 0, 1, 9}, true), NodeErrors.NOT_A_COMMIT);
    }
  }
}
