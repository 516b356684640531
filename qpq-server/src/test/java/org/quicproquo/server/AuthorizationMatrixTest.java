package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.capnproto.AnyPointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.server.store.DeviceId;
import org.quicproquo.server.store.UserName;

/**
 * Every NodeService RPC × {unauthenticated, another user, revoked device, unknown device} is
 * refused ({@link #everyMethodOfTheSchemaIsCovered} keeps the lists complete).
 *
 * <pre>
 *                        unauthenticated      another user's device   revoked / deleted device
 * serverInfo, register,  allowed (by design;  register: NAME_TAKEN,   login: DEVICE_REVOKED /
 * loginChallenge, login  login is the way in) login: BAD_SIGNATURE    UNKNOWN_DEVICE
 * own-device methods     UNAUTHENTICATED      NOT_AUTHORIZED          DEVICE_REVOKED
 * (upload, fetch, ack)                        (unknown ids too)
 * other login methods    UNAUTHENTICATED      n/a: name no owner      DEVICE_REVOKED
 * </pre>
 *
 * Methods that name no owner (fetchKeyPackages, resolveUser, enqueue, GroupInfo) have no
 * "another user" case: any logged-in user may call them for anyone, by design (docs/wire.md
 * "Known limitations" says what the server cannot check for groups). Ack of another device's
 * message is refused too (the last test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AuthorizationMatrixTest {
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger names = new AtomicInteger();
  private QpqServer server;
  private TestAccount bob;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = ServerFixture.start(dir);
    bob = TestAccount.generate("bob", random);
    try (TestNode n = TestNode.connect(server)) {
      n.register(bob);
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestAccount fresh(TestNode n) throws Exception {
    TestAccount a = TestAccount.generate("user" + names.incrementAndGet(), random);
    n.register(a);
    return a;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Plausible parameters of each method that needs login, naming {@code owner}'s device. */
  static Stream<Arguments> loginMethods() {
    return Stream.of(
        Arguments.of("uploadKeyPackages", NodeService.METHOD_UPLOAD_KEY_PACKAGES, true),
        Arguments.of("fetchKeyPackages", NodeService.METHOD_FETCH_KEY_PACKAGES, false),
        Arguments.of("resolveUser", NodeService.METHOD_RESOLVE_USER, false),
        Arguments.of("enqueue", NodeService.METHOD_ENQUEUE, false),
        Arguments.of("enqueueBatch", NodeService.METHOD_ENQUEUE_BATCH, false),
        Arguments.of("fetch", NodeService.METHOD_FETCH, true),
        Arguments.of("ack", NodeService.METHOD_ACK, true),
        Arguments.of("publishGroupInfo", NodeService.METHOD_PUBLISH_GROUP_INFO, false),
        Arguments.of("fetchGroupInfo", NodeService.METHOD_FETCH_GROUP_INFO, false),
        Arguments.of("createBlob", NodeService.METHOD_CREATE_BLOB, false),
        Arguments.of("putChunk", NodeService.METHOD_PUT_CHUNK, false),
        Arguments.of("blobStatus", NodeService.METHOD_BLOB_STATUS, false),
        Arguments.of("finishBlob", NodeService.METHOD_FINISH_BLOB, false),
        Arguments.of("getChunk", NodeService.METHOD_GET_CHUNK, false),
        Arguments.of("deleteBlob", NodeService.METHOD_DELETE_BLOB, false),
        Arguments.of("deleteAccount", NodeService.METHOD_DELETE_ACCOUNT, false),
        Arguments.of("ktInclusionProof", NodeService.METHOD_KT_INCLUSION_PROOF, false),
        Arguments.of("ktKeyHistory", NodeService.METHOD_KT_KEY_HISTORY, false),
        Arguments.of("registerDevice", NodeService.METHOD_REGISTER_DEVICE, false),
        Arguments.of("listDevices", NodeService.METHOD_LIST_DEVICES, false),
        Arguments.of("revokeDevice", NodeService.METHOD_REVOKE_DEVICE, true),
        Arguments.of("openLink", NodeService.METHOD_OPEN_LINK, false),
        Arguments.of("answerLink", NodeService.METHOD_ANSWER_LINK, false));
  }

  private Consumer<AnyPointer.Builder> params(int method, TestAccount owner) throws Exception {
    long device = owner.deviceId;
    return switch (method) {
      case NodeService.METHOD_UPLOAD_KEY_PACKAGES ->
          TestNode.upload(device, owner.keyPackages(1), owner.keyPackage());
      case NodeService.METHOD_FETCH_KEY_PACKAGES ->
          p -> p.initAs(NodeService.FetchKeyPackagesParams.factory).setUser("bob");
      case NodeService.METHOD_RESOLVE_USER ->
          p -> p.initAs(NodeService.ResolveUserParams.factory).setName("bob");
      case NodeService.METHOD_ENQUEUE ->
          TestNode.enqueue(new byte[16], List.of(bob.deviceId), b("x"), false);
      case NodeService.METHOD_ENQUEUE_BATCH -> TestNode.enqueueBatch(
          List.of(new TestNode.BatchItem(new byte[16], List.of(bob.deviceId), b("x"))));
      case NodeService.METHOD_FETCH -> TestNode.fetch(device, 0, 10);
      case NodeService.METHOD_ACK -> TestNode.ack(device, List.of(id()));
      case NodeService.METHOD_PUBLISH_GROUP_INFO -> p -> {
        var g = p.initAs(NodeService.PublishGroupInfoParams.factory);
        g.setGroupId(b("g"));
        g.setEpoch(1);
        g.setGroupInfo(b("gi"));
      };
      case NodeService.METHOD_FETCH_GROUP_INFO ->
          p -> p.initAs(NodeService.FetchGroupInfoParams.factory).setGroupId(b("g"));
      case NodeService.METHOD_CREATE_BLOB -> BlobRpcTest.create(100_000, 65_536, 0);
      case NodeService.METHOD_PUT_CHUNK -> BlobRpcTest.put(id(), 0, b("chunk"));
      case NodeService.METHOD_GET_CHUNK -> BlobRpcTest.get(id(), 0);
      case NodeService.METHOD_BLOB_STATUS, NodeService.METHOD_FINISH_BLOB,
          NodeService.METHOD_DELETE_BLOB -> BlobRpcTest.id(id());
      case NodeService.METHOD_DELETE_ACCOUNT ->
          p -> p.initAs(NodeService.DeleteAccountParams.factory);
      case NodeService.METHOD_KT_INCLUSION_PROOF ->
          p -> p.initAs(NodeService.KtInclusionProofParams.factory).setName("bob");
      case NodeService.METHOD_KT_KEY_HISTORY ->
          p -> p.initAs(NodeService.KtKeyHistoryParams.factory).setName("bob");
      case NodeService.METHOD_REGISTER_DEVICE -> DeviceRpcTest.registerDevice(owner,
          new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(random));
      case NodeService.METHOD_LIST_DEVICES -> p -> p.initAs(NodeService.ListDevicesParams.factory);
      case NodeService.METHOD_REVOKE_DEVICE -> DeviceRpcTest.revoke(device);
      case NodeService.METHOD_OPEN_LINK -> DeviceRpcTest.openLink(id32(), b("offer"));
      case NodeService.METHOD_ANSWER_LINK -> DeviceRpcTest.answerLink(id32(), new byte[0]);
      default -> throw new IllegalArgumentException("method " + method);
    };
  }

  /** Methods that need no login: the way in, and what a client checks before logging in. */
  static Stream<Arguments> openMethods() {
    return Stream.of(
        Arguments.of("serverInfo", NodeService.METHOD_SERVER_INFO),
        Arguments.of("register", NodeService.METHOD_REGISTER),
        Arguments.of("loginChallenge", NodeService.METHOD_LOGIN_CHALLENGE),
        Arguments.of("login", NodeService.METHOD_LOGIN),
        // the log's tree heads and consistency proofs are public: they name nobody
        Arguments.of("ktTreeHead", NodeService.METHOD_KT_TREE_HEAD),
        Arguments.of("ktConsistencyProof", NodeService.METHOD_KT_CONSISTENCY_PROOF),
        Arguments.of("joinLink", NodeService.METHOD_JOIN_LINK));
  }

  @Test
  void everyMethodOfTheSchemaIsCovered() throws Exception {
    Set<Integer> inSchema = new TreeSet<>();
    for (Field f : NodeService.class.getFields()) {
      if (f.getName().startsWith("METHOD_") && f.getType() == short.class
          && Modifier.isStatic(f.getModifiers())) {
        inSchema.add((int) f.getShort(null));
      }
    }
    Set<Integer> covered = new TreeSet<>();
    Stream.concat(openMethods(), loginMethods())
        .forEach(a -> assertThat(covered.add(((Number) a.get()[1]).intValue())).isTrue());
    assertThat(covered).isEqualTo(inSchema).hasSize(30);
  }

  @ParameterizedTest(name = "{0} unauthenticated")
  @MethodSource("loginMethods")
  void unauthenticatedIsRefused(String name, int method, boolean ownsDevice) throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      n.fails(method, params(method, bob), NodeErrors.UNAUTHENTICATED);
      // A failed login leaves the connection unauthenticated.
      n.challenge(bob.deviceId);
      n.fails(NodeService.METHOD_LOGIN, NodeServiceIntegrationTest.login(bob.deviceId,
          new byte[64]), NodeErrors.BAD_SIGNATURE);
      n.fails(method, params(method, bob), NodeErrors.UNAUTHENTICATED);
    }
  }

  @ParameterizedTest(name = "{0} unauthenticated, while another connection is logged in")
  @MethodSource("loginMethods")
  void loginOfAnotherConnectionDoesNotCount(String name, int method, boolean ownsDevice)
      throws Exception {
    try (TestNode in = TestNode.connect(server); TestNode out = TestNode.connect(server)) {
      TestAccount me = fresh(in);
      in.login(me);
      out.fails(method, params(method, me), NodeErrors.UNAUTHENTICATED);
      // A challenge fetched but not answered does not count either.
      out.challenge(me.deviceId);
      out.fails(method, params(method, me), NodeErrors.UNAUTHENTICATED);
    }
  }

  @ParameterizedTest(name = "{0} on another user's device")
  @MethodSource("loginMethods")
  void anotherUsersDeviceIsRefused(String name, int method, boolean ownsDevice) throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      if (ownsDevice) {
        n.fails(method, params(method, bob), NodeErrors.NOT_AUTHORIZED);
      }
      // The same call on one's own device (or naming no device) is allowed or fails for another
      // reason, never for authorisation.
      try {
        n.call(method, params(method, me), r -> null);
      } catch (org.quicproquo.rpc.RpcException e) {
        // fetchGroupInfo before a publish; blob and link calls naming an id nobody created; a
        // device revoking itself
        assertThat(e.code()).isIn(NodeErrors.NOT_FOUND, NodeErrors.NO_SUCH_BLOB,
            NodeErrors.LINK_NOT_FOUND,
            method == NodeService.METHOD_REVOKE_DEVICE ? NodeErrors.INVALID_ARGUMENT : "-");
      }
    }
  }

  @ParameterizedTest(name = "{0} after the device was revoked")
  @MethodSource("loginMethods")
  void revokedDeviceIsRefused(String name, int method, boolean ownsDevice) throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      assertThat(server.store().accounts().revokeDevice(new DeviceId(me.deviceId))).isTrue();
      n.fails(method, params(method, me), NodeErrors.DEVICE_REVOKED);
    }
    // Nor can a revoked device log in again.
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      server.store().accounts().revokeDevice(new DeviceId(me.deviceId));
      n.challenge(me.deviceId);
      n.fails(NodeService.METHOD_LOGIN, NodeServiceIntegrationTest.login(me.deviceId,
          me.loginSignature(new byte[32], new byte[32], me.deviceId)), NodeErrors.DEVICE_REVOKED);
      n.fails(method, params(method, me), NodeErrors.UNAUTHENTICATED);
    }
  }

  /** The login methods that name the caller's own device. */
  static Stream<Arguments> ownDeviceMethods() {
    return loginMethods().filter(a -> (Boolean) a.get()[2]);
  }

  @ParameterizedTest(name = "{0} naming a device that does not exist")
  @MethodSource("ownDeviceMethods")
  void unknownDeviceIdsAreRefusedLikeAnotherUsers(String name, int method, boolean ownsDevice)
      throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      for (long unknown : new long[] {999_999, 0, -1}) {
        TestAccount ghost = TestAccount.generate(me.name, random);
        ghost.deviceId = unknown;
        // NOT_AUTHORIZED, as for an existing device: the answer reveals nothing about existence.
        n.fails(method, params(method, ghost), NodeErrors.NOT_AUTHORIZED);
      }
    }
  }

  @ParameterizedTest(name = "{0} after the user and device were deleted")
  @MethodSource("loginMethods")
  void deletedDeviceIsRefused(String name, int method, boolean ownsDevice) throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      n.login(me);
      assertThat(server.store().accounts().deleteUser(UserName.of(me.name))).isTrue();
      n.fails(method, params(method, me), NodeErrors.DEVICE_REVOKED);
    }
  }

  @ParameterizedTest(name = "{0} works without login")
  @MethodSource("openMethods")
  void openMethodsWorkUnauthenticatedAndGrantNothing(String name, int method) throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      switch (method) {
        case NodeService.METHOD_SERVER_INFO -> n.call(method,
            p -> p.initAs(NodeService.ServerInfoParams.factory), r -> null);
        case NodeService.METHOD_REGISTER -> fresh(n);
        case NodeService.METHOD_LOGIN_CHALLENGE -> n.challenge(bob.deviceId);
        case NodeService.METHOD_LOGIN -> n.login(fresh(n));
        case NodeService.METHOD_KT_TREE_HEAD -> n.call(method,
            p -> p.initAs(NodeService.KtTreeHeadParams.factory), r -> null);
        case NodeService.METHOD_KT_CONSISTENCY_PROOF -> n.call(method, p -> {
          var c = p.initAs(NodeService.KtConsistencyProofParams.factory);
          c.setOldSize(1);
          c.setNewSize(2);
        }, r -> null);
        // allowed, and a code nobody opened is simply not found
        case NodeService.METHOD_JOIN_LINK -> n.fails(method,
            DeviceRpcTest.joinLink(id32(), new byte[0]), NodeErrors.LINK_NOT_FOUND);
        default -> throw new IllegalArgumentException("method " + method);
      }
      if (method != NodeService.METHOD_LOGIN) {
        n.fails(NodeService.METHOD_FETCH, TestNode.fetch(bob.deviceId, 0, 10),
            NodeErrors.UNAUTHENTICATED);
      }
    }
  }

  @Test
  void loginChallengeDoesNotRevealWhetherADeviceExists() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount revoked = fresh(n);
      server.store().accounts().revokeDevice(new DeviceId(revoked.deviceId));
      assertThat(n.challenge(revoked.deviceId))
          .hasSize(org.quicproquo.server.NodeService.NONCE_BYTES);
      assertThat(n.challenge(bob.deviceId)).hasSize(org.quicproquo.server.NodeService.NONCE_BYTES);
      assertThat(n.challenge(999_999)).hasSize(org.quicproquo.server.NodeService.NONCE_BYTES);
      assertThat(n.challenge(-1)).hasSize(org.quicproquo.server.NodeService.NONCE_BYTES);
    }
  }

  @Test
  void unknownDeviceCannotLogIn() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      for (long unknown : new long[] {999_999, 0, -1}) {
        n.challenge(unknown);
        n.fails(NodeService.METHOD_LOGIN,
            NodeServiceIntegrationTest.login(unknown, new byte[64]), NodeErrors.UNKNOWN_DEVICE);
      }
      n.fails(NodeService.METHOD_LOGIN,
          NodeServiceIntegrationTest.login(bob.deviceId, new byte[64]), NodeErrors.NO_CHALLENGE);
    }
  }

  @Test
  void anotherUsersDeviceCannotBeLoggedIntoWithOwnKey() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount me = fresh(n);
      byte[] nonce = n.challenge(bob.deviceId);
      n.fails(NodeService.METHOD_LOGIN, NodeServiceIntegrationTest.login(bob.deviceId,
          me.loginSignature(nonce, n.client.serverFingerprint().sha256(), bob.deviceId)),
          NodeErrors.BAD_SIGNATURE);
    }
  }

  @Test
  void registerCannotTakeAnotherUsersNameOrUseAnotherIdentityKey() throws Exception {
    try (TestNode n = TestNode.connect(server)) {
      TestAccount impostor = TestAccount.generate("bob", random);
      n.fails(NodeService.METHOD_REGISTER, p -> {
        var r = p.initAs(NodeService.RegisterParams.factory);
        r.setName("bob");
        r.setIdentityKey(impostor.identityKey());
        r.setDeviceKey(impostor.deviceKey());
        r.setDeviceCertificate(impostor.certificate());
      }, NodeErrors.NAME_TAKEN);
      TestAccount eve = TestAccount.generate("eve", random);
      n.fails(NodeService.METHOD_REGISTER, p -> {
        var r = p.initAs(NodeService.RegisterParams.factory);
        r.setName("eve");
        r.setIdentityKey(bob.identityKey()); // bob's identity key, eve cannot sign for it
        r.setDeviceKey(eve.deviceKey());
        r.setDeviceCertificate(eve.certificate());
      }, NodeErrors.BAD_CERTIFICATE);
    }
  }

  @Test
  void ackOfAnotherDevicesMessagesIsRefusedAndDeletesNothing() throws Exception {
    try (TestNode a = TestNode.connect(server); TestNode m = TestNode.connect(server)) {
      TestAccount alice = fresh(a);
      a.login(alice);
      TestAccount mallory = fresh(m);
      m.login(mallory);
      byte[] secret = id();
      byte[] own = id();
      a.enqueueCall(secret, List.of(alice.deviceId), b("secret"), false);
      a.enqueueCall(own, List.of(mallory.deviceId), b("for mallory"), false);
      // Naming alice's message on one's own device: refused, and mallory's own entry stays too.
      RpcException e = m.fails(NodeService.METHOD_ACK,
          TestNode.ack(mallory.deviceId, List.of(own, secret)), NodeErrors.NOT_AUTHORIZED);
      assertThat(e.detail()).contains("is not queued for device");
      // Naming alice's device: refused before the store is asked.
      m.fails(NodeService.METHOD_ACK, TestNode.ack(alice.deviceId, List.of(secret)),
          NodeErrors.NOT_AUTHORIZED);
      assertThat(a.fetchCall(alice.deviceId)).hasSize(1);
      assertThat(m.fetchCall(mallory.deviceId)).hasSize(1);
      // Ids nobody has pending (never sent, or acknowledged already) stay a no-op.
      assertThat(m.ackCall(mallory.deviceId, List.of(own, id()))).isEqualTo(1);
      assertThat(m.ackCall(mallory.deviceId, List.of(own))).isZero();
      assertThat(a.ackCall(alice.deviceId, List.of(secret))).isEqualTo(1);
      assertThat(m.ackCall(mallory.deviceId, List.of(secret))).isZero();
    }
  }

  @Test
  void anotherUsersLinkCannotBeAnsweredOrReadByItsOwnerCall() throws Exception {
    try (TestNode a = TestNode.connect(server); TestNode m = TestNode.connect(server)) {
      TestAccount alice = fresh(a);
      a.login(alice);
      TestAccount mallory = fresh(m);
      m.login(mallory);
      byte[] link = id32();
      a.call(NodeService.METHOD_OPEN_LINK, DeviceRpcTest.openLink(link, b("offer")), r -> null);
      m.fails(NodeService.METHOD_ANSWER_LINK, DeviceRpcTest.answerLink(link, new byte[0]),
          NodeErrors.NOT_AUTHORIZED);
      // nor does mallory's device registration land on alice's account, or list hers
      assertThat(DeviceRpcTest.list(m)).extracting(DeviceRpcTest.Info::id)
          .containsExactly(mallory.deviceId);
    }
  }

  private byte[] id32() {
    byte[] id = new byte[32];
    random.nextBytes(id);
    return id;
  }

  private byte[] id() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return id;
  }
}
