package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.kt.InclusionProof;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.LogEntry;
import org.quicproquo.kt.LogPublicKey;
import org.quicproquo.kt.LogVerifier;
import org.quicproquo.kt.SignedTreeHead;
import org.quicproquo.kt.TreeHeadHistory;
import org.quicproquo.proto.Qpq.NodeService;

/** The kt* RPCs over loopback QUIC: what registration and deletion append, proofs, restart. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KeyTransparencyRpcTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  static LogPublicKey ktKey(TestNode n) throws Exception {
    byte[] bytes = n.call(NodeService.METHOD_SERVER_INFO,
        p -> p.initAs(NodeService.ServerInfoParams.factory),
        r -> r.getAs(NodeService.ServerInfoResults.factory).getInfo().getKtPublicKey().toArray());
    return LogPublicKey.decode(bytes);
  }

  static SignedTreeHead head(TestNode n) throws Exception {
    return SignedTreeHead.decode(n.call(NodeService.METHOD_KT_TREE_HEAD,
        p -> p.initAs(NodeService.KtTreeHeadParams.factory),
        r -> r.getAs(NodeService.KtTreeHeadResults.factory).getTreeHead().toArray()));
  }

  static ConsistencyProof consistency(TestNode n, long from, long to) throws Exception {
    return ConsistencyProof.decode(n.call(NodeService.METHOD_KT_CONSISTENCY_PROOF, p -> {
      var c = p.initAs(NodeService.KtConsistencyProofParams.factory);
      c.setOldSize(from);
      c.setNewSize(to);
    }, r -> r.getAs(NodeService.KtConsistencyProofResults.factory).getProof().toArray()));
  }

  @Test
  void registrationAndDeletionAreLoggedAndProven() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    LogPublicKey key;
    SignedTreeHead afterRegistration;
    try (QpqServer server = ServerFixture.start(dir); TestNode a = TestNode.connect(server);
        TestNode b = TestNode.connect(server)) {
      key = ktKey(a);
      TreeHeadHistory seen = new TreeHeadHistory(key);
      seen.accept(head(a), null);
      assertThat(seen.latest().orElseThrow().treeSize()).isZero();
      a.register(alice);
      b.register(bob);
      // a refused registration appends nothing
      b.fails(NodeService.METHOD_REGISTER, p -> {
        var r = p.initAs(NodeService.RegisterParams.factory);
        TestAccount impostor = TestAccount.generate("alice", random);
        r.setName("alice");
        r.setIdentityKey(impostor.identityKey());
        r.setDeviceKey(impostor.deviceKey());
        r.setDeviceCertificate(impostor.certificate());
      }, NodeErrors.NAME_TAKEN);
      // a repeated registration with the same keys (idempotent register) appends nothing
      TestAccount repeat = alice;
      long device = alice.deviceId;
      assertThat(b.register(repeat)).isEqualTo(device);
      afterRegistration = head(a);
      assertThat(afterRegistration.treeSize()).isEqualTo(4); // REGISTER + DEVICE_ADDED each
      seen.accept(afterRegistration, consistency(a, 0, 4));
      a.login(alice);
      b.login(bob);

      byte[][] latest = b.call(NodeService.METHOD_KT_INCLUSION_PROOF,
          p -> p.initAs(NodeService.KtInclusionProofParams.factory).setName("alice"), r -> {
            var l = r.getAs(NodeService.KtInclusionProofResults.factory);
            return new byte[][] {l.getEntry().toArray(), l.getProof().toArray(),
                l.getTreeHead().toArray()};
          });
      LogEntry entry = LogEntry.decode(latest[0]);
      SignedTreeHead sth = SignedTreeHead.decode(latest[2]);
      sth.verify(key);
      LogVerifier.verifyInclusion(entry, InclusionProof.decode(latest[1]), sth);
      assertThat(entry.kind()).isEqualTo(EntryKind.REGISTER);
      assertThat(entry.key()).isEqualTo(alice.identityKey());

      a.call(NodeService.METHOD_DELETE_ACCOUNT,
          p -> p.initAs(NodeService.DeleteAccountParams.factory), r -> null);
      SignedTreeHead afterDeletion = head(b);
      assertThat(afterDeletion.treeSize()).isEqualTo(5);
      seen.accept(afterDeletion, consistency(b, 4, 5));

      KeyHistory.KeyState state = history(b, "alice", key);
      assertThat(state.deleted()).isTrue();
      assertThat(state.lastSequence()).isEqualTo(4);
      b.fails(NodeService.METHOD_KT_KEY_HISTORY,
          p -> p.initAs(NodeService.KtKeyHistoryParams.factory).setName("carol"),
          NodeErrors.UNKNOWN_USER);
      b.fails(NodeService.METHOD_KT_INCLUSION_PROOF,
          p -> p.initAs(NodeService.KtInclusionProofParams.factory).setName("carol"),
          NodeErrors.UNKNOWN_USER);
      b.fails(NodeService.METHOD_KT_CONSISTENCY_PROOF, p -> {
        var c = p.initAs(NodeService.KtConsistencyProofParams.factory);
        c.setOldSize(3);
        c.setNewSize(99);
      }, NodeErrors.INVALID_ARGUMENT);
    }
    Path keyFile = dir.resolve(DataDirectory.KT_SIGNING_KEY);
    assertThat(Files.size(keyFile)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    // After a restart: the same key, the same tree, and it keeps growing consistently.
    try (QpqServer server = ServerFixture.start(dir); TestNode n = TestNode.connect(server)) {
      assertThat(ktKey(n)).isEqualTo(key);
      TreeHeadHistory seen = new TreeHeadHistory(key, afterRegistration);
      SignedTreeHead now = head(n);
      assertThat(now.treeSize()).isEqualTo(5);
      seen.accept(now, consistency(n, 4, 5));
      TestAccount again = TestAccount.generate("alice", random);
      n.register(again);
      n.login(again);
      KeyHistory.KeyState state = history(n, "alice", key);
      assertThat(state.deleted()).isFalse();
      assertThat(state.identityKey()).isEqualTo(again.identityKey());
    }
  }

  private static KeyHistory.KeyState history(TestNode n, String name, LogPublicKey key)
      throws Exception {
    List<byte[]> raw = new ArrayList<>();
    List<byte[]> proofs = new ArrayList<>();
    byte[] head = n.call(NodeService.METHOD_KT_KEY_HISTORY,
        p -> p.initAs(NodeService.KtKeyHistoryParams.factory).setName(name), r -> {
          var h = r.getAs(NodeService.KtKeyHistoryResults.factory);
          for (int i = 0; i < h.getEntries().size(); i++) {
            raw.add(h.getEntries().get(i).toArray());
            proofs.add(h.getProofs().get(i).toArray());
          }
          return h.getTreeHead().toArray();
        });
    SignedTreeHead sth = SignedTreeHead.decode(head);
    sth.verify(key);
    List<KeyHistory.ProvenEntry> entries = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      entries.add(new KeyHistory.ProvenEntry(LogEntry.decode(raw.get(i)),
          InclusionProof.decode(proofs.get(i))));
    }
    return KeyHistory.audit(name, entries, sth, KeyHistory.ReRegistration.ALLOWED);
  }
}
