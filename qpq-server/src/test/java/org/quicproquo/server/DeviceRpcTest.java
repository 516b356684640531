package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.capnproto.AnyPointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;

/**
 * registerDevice, listDevices, revokeDevice and the link mailbox over a real server: certificates
 * are checked against the identity key, five active devices at most, a revoked device is out, and
 * the link calls keep their one-request rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeviceRpcTest {
  private final SecureRandom random = new SecureRandom();
  private QpqServer server;
  private int names;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = ServerFixture.start(dir);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  record Info(long id, long createdAt, boolean revoked, boolean current) {}

  static Consumer<AnyPointer.Builder> registerDevice(TestAccount owner,
      Ed25519PrivateKeyParameters device) {
    byte[] key = device.generatePublicKey().getEncoded();
    byte[] cert = TestAccount.sign(owner.identity,
        AuthTranscripts.deviceCertificate(owner.name, key));
    return registerDevice(key, cert);
  }

  static Consumer<AnyPointer.Builder> registerDevice(byte[] key, byte[] cert) {
    return p -> {
      var b = p.initAs(NodeService.RegisterDeviceParams.factory);
      b.setDeviceKey(key);
      b.setDeviceCertificate(cert);
    };
  }

  static Consumer<AnyPointer.Builder> revoke(long device) {
    return p -> p.initAs(NodeService.RevokeDeviceParams.factory).setDeviceId(device);
  }

  static Consumer<AnyPointer.Builder> openLink(byte[] id, byte[] offer) {
    return p -> {
      var b = p.initAs(NodeService.OpenLinkParams.factory);
      b.setLookupId(id);
      b.setOffer(offer);
    };
  }

  static Consumer<AnyPointer.Builder> answerLink(byte[] id, byte[] reply) {
    return p -> {
      var b = p.initAs(NodeService.AnswerLinkParams.factory);
      b.setLookupId(id);
      b.setReply(reply);
    };
  }

  static Consumer<AnyPointer.Builder> joinLink(byte[] id, byte[] request) {
    return p -> {
      var b = p.initAs(NodeService.JoinLinkParams.factory);
      b.setLookupId(id);
      b.setRequest(request);
    };
  }

  static List<Info> list(TestNode n) throws Exception {
    return n.call(NodeService.METHOD_LIST_DEVICES,
        p -> p.initAs(NodeService.ListDevicesParams.factory), r -> {
          List<Info> out = new ArrayList<>();
          for (Qpq.DeviceInfo.Reader d : r.getAs(NodeService.ListDevicesResults.factory)
              .getDevices()) {
            out.add(new Info(d.getDeviceId(), d.getCreatedAtMillis(), d.getRevoked(),
                d.getCurrent()));
          }
          return out;
        });
  }

  /** Registers {@code device} (same user) through {@code n}; sets and returns its id. */
  static long add(TestNode n, TestAccount owner, TestAccount device) throws Exception {
    device.deviceId = n.call(NodeService.METHOD_REGISTER_DEVICE,
        registerDevice(owner, device.device),
        r -> r.getAs(NodeService.RegisterDeviceResults.factory).getDeviceId());
    return device.deviceId;
  }

  private TestAccount fresh(TestNode n) throws Exception {
    TestAccount a = TestAccount.generate("dev" + (++names), random);
    n.register(a);
    return a;
  }

  @Test
  void aDeviceCertifiedByTheIdentityKeyIsAddedListedAndCanLogIn() throws Exception {
    try (TestNode n = TestNode.connect(server); TestNode other = TestNode.connect(server)) {
      TestAccount first = fresh(n);
      n.login(first);
      TestAccount second = first.anotherDevice(random);
      long id = add(n, first, second);
      assertThat(list(n)).extracting(Info::id, Info::revoked, Info::current)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(first.deviceId, false, true),
              org.assertj.core.groups.Tuple.tuple(id, false, false));
      other.login(second);
      assertThat(list(other)).filteredOn(Info::current).extracting(Info::id).containsExactly(id);
      // the same key twice is refused
      n.fails(NodeService.METHOD_REGISTER_DEVICE, registerDevice(first, second.device),
          NodeErrors.DEVICE_EXISTS);
    }
  }

  @Test
  void aCertificateNotMadeByTheIdentityKeyIsRefused() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      TestAccount stranger = TestAccount.generate(me.name, random); // another identity key
      n.fails(NodeService.METHOD_REGISTER_DEVICE, registerDevice(stranger, stranger.device),
          NodeErrors.BAD_CERTIFICATE);
      // a certificate for another user's name does not transfer either
      TestAccount other = TestAccount.generate("someone-else", random);
      byte[] key = new Ed25519PrivateKeyParameters(random).generatePublicKey().getEncoded();
      n.fails(NodeService.METHOD_REGISTER_DEVICE, registerDevice(key, TestAccount.sign(
          me.identity, AuthTranscripts.deviceCertificate(other.name, key))),
          NodeErrors.BAD_CERTIFICATE);
      n.fails(NodeService.METHOD_REGISTER_DEVICE, registerDevice(new byte[5], new byte[64]),
          NodeErrors.INVALID_ARGUMENT);
      assertThat(list(n)).hasSize(1);
    }
  }

  @Test
  void atMostFiveActiveDevicesAndRevokingOneMakesRoom() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      List<TestAccount> devices = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        TestAccount d = me.anotherDevice(random);
        add(n, me, d);
        devices.add(d);
      }
      n.fails(NodeService.METHOD_REGISTER_DEVICE, registerDevice(me, me.anotherDevice(random)
          .device), NodeErrors.TOO_MANY_DEVICES);
      assertThat(list(n)).hasSize(5);
      boolean revoked = n.call(NodeService.METHOD_REVOKE_DEVICE, revoke(devices.get(0).deviceId),
          r -> r.getAs(NodeService.RevokeDeviceResults.factory).getRevoked());
      assertThat(revoked).isTrue();
      add(n, me, me.anotherDevice(random));
      assertThat(list(n)).hasSize(6).filteredOn(Info::revoked).extracting(Info::id)
          .containsExactly(devices.get(0).deviceId);
      // again: nothing to do
      boolean again = n.call(NodeService.METHOD_REVOKE_DEVICE, revoke(devices.get(0).deviceId),
          r -> r.getAs(NodeService.RevokeDeviceResults.factory).getRevoked());
      assertThat(again).isFalse();
    }
  }

  @Test
  void aRevokedDeviceIsCutOffAtOnceAndCannotLogInAgain() throws Exception {
    try (TestNode n = TestNode.connect(server); TestNode lost = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      TestAccount phone = me.anotherDevice(random);
      add(n, me, phone);
      lost.login(phone);
      n.enqueueCall(new byte[16], List.of(phone.deviceId), "for the phone".getBytes(
          StandardCharsets.UTF_8), false);
      assertThat(lost.fetchCall(phone.deviceId)).hasSize(1);
      // a device cannot revoke itself, nor another user's
      lost.fails(NodeService.METHOD_REVOKE_DEVICE, revoke(phone.deviceId),
          NodeErrors.INVALID_ARGUMENT);
      n.call(NodeService.METHOD_REVOKE_DEVICE, revoke(phone.deviceId), r -> null);
      try (TestNode again = TestNode.connect(server)) {
        again.challenge(phone.deviceId);
        again.fails(NodeService.METHOD_LOGIN, NodeServiceIntegrationTest.login(phone.deviceId,
            phone.loginSignature(new byte[32], new byte[32], phone.deviceId)),
            NodeErrors.DEVICE_REVOKED);
      }
      // its queue is gone and messages for it are refused
      n.fails(NodeService.METHOD_ENQUEUE, TestNode.enqueue(new byte[16], List.of(phone.deviceId),
          new byte[] {1}, false), NodeErrors.UNKNOWN_DEVICE);
    }
  }

  @Test
  void linkMailboxRelaysOneRequestAndOneReply() throws Exception {
    try (TestNode owner = TestNode.connect(server); TestNode newcomer = TestNode.connect(server);
        TestNode thief = TestNode.connect(server)) {
      TestAccount me = fresh(owner);
      owner.login(me);
      byte[] id = new byte[32];
      random.nextBytes(id);
      byte[] offer = "sealed offer".getBytes(StandardCharsets.UTF_8);
      byte[] request = "sealed request".getBytes(StandardCharsets.UTF_8);
      byte[] reply = "sealed reply".getBytes(StandardCharsets.UTF_8);
      owner.call(NodeService.METHOD_OPEN_LINK, openLink(id, offer), r -> null);
      assertThat(answer(owner, id, new byte[0])).isEmpty();
      assertThat(join(newcomer, id, new byte[0])[0]).isEqualTo(offer);
      assertThat(join(newcomer, id, request)[1]).isEmpty();
      // the code was used: a second device gets nothing
      thief.fails(NodeService.METHOD_JOIN_LINK, joinLink(id, "other".getBytes(
          StandardCharsets.UTF_8)), NodeErrors.LINK_USED);
      thief.fails(NodeService.METHOD_JOIN_LINK, joinLink(id, new byte[0]), NodeErrors.LINK_USED);
      assertThat(answer(owner, id, new byte[0])).isEqualTo(request);
      assertThat(answer(owner, id, reply)).isEqualTo(request);
      owner.fails(NodeService.METHOD_ANSWER_LINK, answerLink(id, "another reply".getBytes(
          StandardCharsets.UTF_8)), NodeErrors.LINK_USED);
      assertThat(join(newcomer, id, request)[1]).isEqualTo(reply);
      // a wrong code finds nothing
      byte[] wrong = id.clone();
      wrong[0] ^= 1;
      newcomer.fails(NodeService.METHOD_JOIN_LINK, joinLink(wrong, new byte[0]),
          NodeErrors.LINK_NOT_FOUND);
      newcomer.fails(NodeService.METHOD_JOIN_LINK, joinLink(new byte[3], new byte[0]),
          NodeErrors.INVALID_ARGUMENT);
    }
  }

  private static byte[] answer(TestNode n, byte[] id, byte[] reply) throws Exception {
    return n.call(NodeService.METHOD_ANSWER_LINK, answerLink(id, reply),
        r -> r.getAs(NodeService.AnswerLinkResults.factory).getRequest().toArray());
  }

  private static byte[][] join(TestNode n, byte[] id, byte[] request) throws Exception {
    return n.call(NodeService.METHOD_JOIN_LINK, joinLink(id, request), r -> {
      var res = r.getAs(NodeService.JoinLinkResults.factory);
      return new byte[][] {res.getOffer().toArray(), res.getReply().toArray()};
    });
  }
}
