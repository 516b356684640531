package org.quicproquo.server;

import org.quicproquo.core.identity.AuthTranscripts;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** NodeService over real QUIC on loopback with a real SQLite store. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeServiceIntegrationTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private QpqServer server;
  private final List<TestNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start(dir);
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
    server.close();
  }

  private TestNode node() throws Exception {
    TestNode n = TestNode.connect(server);
    nodes.add(n);
    return n;
  }

  private byte[] id() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void registerLoginKeyPackagesEnqueueFetchAckWithPush() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    TestNode a = node();
    TestNode b = node();
    a.register(alice);
    b.register(bob);
    assertThat(bob.deviceId).isNotEqualTo(alice.deviceId);
    a.login(alice);
    b.login(bob);

    byte[] kp1 = bob.keyPackage();
    byte[] kp2 = bob.keyPackage();
    byte[] last = bob.keyPackage();
    int stored = b.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
        TestNode.upload(bob.deviceId, List.of(kp1, kp2), last),
        r -> r.getAs(NodeService.UploadKeyPackagesResults.factory).getStored());
    assertThat(stored).isEqualTo(2);

    List<byte[]> handedOut = new ArrayList<>();
    List<Boolean> lastResort = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      handedOut.add(a.call(NodeService.METHOD_FETCH_KEY_PACKAGES,
          p -> p.initAs(NodeService.FetchKeyPackagesParams.factory).setUser("bob"), r -> {
            var list = r.getAs(NodeService.FetchKeyPackagesResults.factory).getKeyPackages();
            assertThat(list.size()).isEqualTo(1);
            assertThat(list.get(0).getDeviceId()).isEqualTo(bob.deviceId);
            lastResort.add(list.get(0).getLastResort());
            return list.get(0).getKeyPackage().toArray();
          }));
    }
    assertThat(handedOut).containsExactly(kp1, kp2, last, last);
    assertThat(lastResort).containsExactly(false, false, true, true);

    byte[] identityKey = a.call(NodeService.METHOD_RESOLVE_USER,
        p -> p.initAs(NodeService.ResolveUserParams.factory).setName("bob"), r -> {
          var res = r.getAs(NodeService.ResolveUserResults.factory);
          assertThat(res.getDevices().size()).isEqualTo(1);
          Qpq.DeviceEntry.Reader d = res.getDevices().get(0);
          assertThat(d.getDeviceId()).isEqualTo(bob.deviceId);
          assertThat(d.getSignatureKey().toArray()).isEqualTo(bob.deviceKey());
          assertThat(d.getCertificate().toArray()).isEqualTo(bob.certificate());
          return res.getIdentityKey().toArray();
        });
    assertThat(identityKey).isEqualTo(bob.identityKey());

    byte[] m1 = id();
    byte[] m2 = id();
    assertThat(a.enqueueCall(m1, List.of(bob.deviceId), utf8("hello"), false))
        .containsExactly(1, 0);
    assertThat(b.nextEvent(10_000)).isEqualTo(1);
    assertThat(a.enqueueCall(m2, List.of(bob.deviceId), utf8("again"), false))
        .containsExactly(1, 0);
    assertThat(b.nextEvent(10_000)).isEqualTo(2);

    List<TestNode.Envelope> got = b.fetchCall(bob.deviceId);
    assertThat(got).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
        .containsExactly("hello", "again");
    assertThat(got.get(0).seq()).isLessThan(got.get(1).seq());
    assertThat(got.get(0).id()).isEqualTo(m1);

    List<TestNode.Envelope> afterFirst = b.call(NodeService.METHOD_FETCH,
        TestNode.fetch(bob.deviceId, got.get(0).seq(), 10),
        r -> {
          List<TestNode.Envelope> out = new ArrayList<>();
          for (Qpq.Envelope.Reader e : r.getAs(NodeService.FetchResults.factory).getMessages()) {
            out.add(new TestNode.Envelope(e.getSeq(), e.getMessageId().toArray(),
                e.getPayload().toArray()));
          }
          return out;
        });
    assertThat(afterFirst).hasSize(1);
    assertThat(afterFirst.get(0).id()).isEqualTo(m2);

    assertThat(b.ackCall(bob.deviceId, List.of(m1, m2))).isEqualTo(2);
    assertThat(b.fetchCall(bob.deviceId)).isEmpty();
    // A late retry of an acknowledged enqueue is still a no-op.
    assertThat(a.enqueueCall(m1, List.of(bob.deviceId), utf8("hello"), false))
        .containsExactly(0, 1);
    assertThat(b.fetchCall(bob.deviceId)).isEmpty();
  }

  @Test
  void reEnqueueOfTheSameMessageIdIsANoOp() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    TestNode a = node();
    a.register(alice);
    a.register(bob);
    a.login(alice);
    byte[] m = id();
    assertThat(a.enqueueCall(m, List.of(bob.deviceId, alice.deviceId), utf8("x"), false))
        .containsExactly(2, 0);
    assertThat(a.enqueueCall(m, List.of(bob.deviceId, alice.deviceId), utf8("x"), false))
        .containsExactly(0, 2);
    assertThat(a.fetchCall(alice.deviceId)).hasSize(1);
    assertThat(server.store().queue().length(
        new org.quicproquo.server.store.DeviceId(bob.deviceId))).isEqualTo(1);
  }

  @Test
  void registrationChecksTheCertificateAndTheName() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount mallory = TestAccount.generate("alice", random);
    TestNode n = node();
    n.register(alice);
    n.fails(NodeService.METHOD_REGISTER, p -> {
      var b = p.initAs(NodeService.RegisterParams.factory);
      b.setName("alice");
      b.setIdentityKey(mallory.identityKey());
      b.setDeviceKey(mallory.deviceKey());
      b.setDeviceCertificate(mallory.certificate());
    }, NodeErrors.NAME_TAKEN);
    TestAccount carol = TestAccount.generate("carol", random);
    // A certificate for another name (alice's) does not certify a device of carol.
    n.fails(NodeService.METHOD_REGISTER, p -> {
      var b = p.initAs(NodeService.RegisterParams.factory);
      b.setName("carol");
      b.setIdentityKey(carol.identityKey());
      b.setDeviceKey(carol.deviceKey());
      b.setDeviceCertificate(TestAccount.sign(carol.identity,
          AuthTranscripts.deviceCertificate("alice", carol.deviceKey())));
    }, NodeErrors.BAD_CERTIFICATE);
    n.fails(NodeService.METHOD_REGISTER, p -> {
      var b = p.initAs(NodeService.RegisterParams.factory);
      b.setName("Bad Name!");
      b.setIdentityKey(carol.identityKey());
      b.setDeviceKey(carol.deviceKey());
      b.setDeviceCertificate(carol.certificate());
    }, NodeErrors.INVALID_ARGUMENT);
  }

  @Test
  void loginIsBoundToTheNonceTheServerAndTheDevice() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestNode n = node();
    n.register(alice);
    byte[] fingerprint = n.client.serverFingerprint().sha256();

    // Signed for another server certificate.
    byte[] nonce = n.challenge(alice.deviceId);
    byte[] otherServer = fingerprint.clone();
    otherServer[0] ^= 1;
    byte[] sig = alice.loginSignature(nonce, otherServer, alice.deviceId);
    n.fails(NodeService.METHOD_LOGIN, login(alice.deviceId, sig), NodeErrors.BAD_SIGNATURE);

    // The nonce is single-use: replaying a valid signature fails.
    byte[] nonce2 = n.challenge(alice.deviceId);
    byte[] good = alice.loginSignature(nonce2, fingerprint, alice.deviceId);
    n.fails(NodeService.METHOD_LOGIN,
        login(alice.deviceId, alice.loginSignature(nonce2, fingerprint, alice.deviceId + 1)),
        NodeErrors.BAD_SIGNATURE);
    n.fails(NodeService.METHOD_LOGIN, login(alice.deviceId, good), NodeErrors.NO_CHALLENGE);

    // A signature for one connection's nonce does not log in another connection.
    TestNode other = node();
    byte[] nonce3 = n.challenge(alice.deviceId);
    other.challenge(alice.deviceId);
    other.fails(NodeService.METHOD_LOGIN,
        login(alice.deviceId, alice.loginSignature(nonce3, fingerprint, alice.deviceId)),
        NodeErrors.BAD_SIGNATURE);

    n.login(alice);
    byte[] nonce4 = n.challenge(alice.deviceId);
    n.fails(NodeService.METHOD_LOGIN,
        login(alice.deviceId, alice.loginSignature(nonce4, fingerprint, alice.deviceId)),
        NodeErrors.ALREADY_LOGGED_IN);
  }

  static java.util.function.Consumer<org.capnproto.AnyPointer.Builder> login(long device,
      byte[] sig) {
    return p -> {
      var b = p.initAs(NodeService.LoginParams.factory);
      b.setDeviceId(device);
      b.setSignature(sig);
    };
  }

  @Test
  void groupInfoPublishAndFetch() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestNode n = node();
    n.register(alice);
    n.login(alice);
    n.fails(NodeService.METHOD_FETCH_GROUP_INFO,
        p -> p.initAs(NodeService.FetchGroupInfoParams.factory).setGroupId(utf8("g")),
        NodeErrors.NOT_FOUND);
    assertThat(publish(n, 3, "gi3")).isTrue();
    assertThat(publish(n, 2, "gi2")).isFalse();
    String got = n.call(NodeService.METHOD_FETCH_GROUP_INFO,
        p -> p.initAs(NodeService.FetchGroupInfoParams.factory).setGroupId(utf8("g")), r -> {
          var res = r.getAs(NodeService.FetchGroupInfoResults.factory);
          return res.getEpoch() + ":" + new String(res.getGroupInfo().toArray(),
              StandardCharsets.UTF_8);
        });
    assertThat(got).isEqualTo("3:gi3");
  }

  private static boolean publish(TestNode n, long epoch, String info) throws Exception {
    return n.call(NodeService.METHOD_PUBLISH_GROUP_INFO, p -> {
      var b = p.initAs(NodeService.PublishGroupInfoParams.factory);
      b.setGroupId(utf8("g"));
      b.setEpoch(epoch);
      b.setGroupInfo(utf8(info));
    }, r -> r.getAs(NodeService.PublishGroupInfoResults.factory).getStored());
  }

  @Test
  void pushReachesEveryLoggedInConnectionOfTheDevice() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    TestNode a = node();
    TestNode b1 = node();
    TestNode b2 = node();
    a.register(alice);
    a.register(bob);
    a.login(alice);
    b1.login(bob);
    b2.login(bob);
    a.enqueueCall(id(), List.of(bob.deviceId), utf8("1"), false);
    assertThat(b1.nextEvent(10_000)).isEqualTo(1);
    assertThat(b2.nextEvent(10_000)).isEqualTo(1);
    assertThat(a.nextEvent(200)).isNull(); // alice is not a recipient
    b1.close();
    a.enqueueCall(id(), List.of(bob.deviceId), utf8("2"), false);
    assertThat(b2.nextEvent(10_000)).isEqualTo(2);
  }

  @Test
  void queuedMessagesSurviveARestart() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    byte[] m = id();
    try (TestNode a = TestNode.connect(server)) {
      a.register(alice);
      a.register(bob);
      a.login(alice);
      a.enqueueCall(m, List.of(bob.deviceId), utf8("kept"), false);
    }
    server.close();
    server = ServerFixture.start(dir);
    TestNode b = node();
    b.login(bob);
    List<TestNode.Envelope> got = b.fetchCall(bob.deviceId);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).id()).isEqualTo(m);
    assertThat(got.get(0).payload()).isEqualTo(utf8("kept"));
  }
}
