package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.capnproto.AnyPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcException;

/** Malformed parameters get typed errors and never hurt the server or the connection. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MalformedParamsTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  /** Params of the wrong shape: pointers where data is expected and vice versa. */
  private static final List<Consumer<AnyPointer.Builder>> WRONG_SHAPES = List.of(
      p -> { },
      p -> p.initAs(NodeService.ServerInfoResults.factory).initInfo().setVersion("x"),
      p -> p.initAs(Qpq.Event.factory).setNotice("not params"),
      p -> {
        var e = p.initAs(NodeService.FetchKeyPackagesResults.factory).initKeyPackages(3);
        e.get(0).setKeyPackage(new byte[] {1, 2, 3});
      });

  @Test
  void everyMethodSurvivesWrongShapes() throws Exception {
    try (QpqServer server = ServerFixture.start(dir); TestNode n = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      n.register(alice);
      n.login(alice);
      for (int method = 1; method <= 11; method++) {
        for (Consumer<AnyPointer.Builder> params : WRONG_SHAPES) {
          int m = method;
          try {
            n.call(m, params, r -> null);
          } catch (RpcException e) {
            assertThat(e.code()).as("method %d: %s", m, e.getMessage())
                .isNotEqualTo("INTERNAL");
          }
        }
      }
      String version = n.call(NodeService.METHOD_SERVER_INFO, p -> { },
          r -> r.getAs(NodeService.ServerInfoResults.factory).getInfo().getVersion().toString());
      assertThat(version).isEqualTo(QpqServer.VERSION);
    }
  }

  @Test
  void badValuesAreInvalidArguments() throws Exception {
    try (QpqServer server = ServerFixture.start(dir); TestNode n = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      n.register(alice);
      n.login(alice);
      long me = alice.deviceId;
      String bad = NodeErrors.INVALID_ARGUMENT;
      n.fails(7, TestNode.enqueue(new byte[17], List.of(me), new byte[] {1}, false), bad);
      n.fails(7, TestNode.enqueue(new byte[16], List.of(me, me), new byte[] {1}, false), bad);
      n.fails(7, TestNode.enqueue(new byte[16], List.of(), new byte[] {1}, false), bad);
      n.fails(7, TestNode.enqueue(new byte[16], List.of(me), new byte[0], false), bad);
      n.fails(7, TestNode.enqueue(new byte[16], List.of(-5L), new byte[] {1}, false), bad);
      n.fails(7, TestNode.enqueue(new byte[16], List.of(424242L), new byte[] {1}, false),
          NodeErrors.UNKNOWN_DEVICE);
      n.fails(8, TestNode.fetch(me, 0, 0), bad);
      n.fails(8, TestNode.fetch(me, -1, 10), bad);
      n.fails(8, TestNode.fetch(me, 0, 1_000_000), bad);
      n.fails(9, TestNode.ack(me, List.of(new byte[3])), bad);
      // An empty upload is not malformed: it asks for the count (docs/wire.md "Methods").
      int stored = n.call(4, TestNode.upload(me, List.of(), null),
          r -> r.getAs(NodeService.UploadKeyPackagesResults.factory).getStored());
      assertThat(stored).isZero();
      n.fails(4, TestNode.upload(me, List.of(new byte[0]), null), bad);
      n.fails(10, p -> {
        var g = p.initAs(NodeService.PublishGroupInfoParams.factory);
        g.setGroupId(new byte[300]);
        g.setEpoch(1);
        g.setGroupInfo(new byte[] {1});
      }, bad);
      n.fails(10, p -> {
        var g = p.initAs(NodeService.PublishGroupInfoParams.factory);
        g.setGroupId(new byte[] {1});
        g.setEpoch(-1);
        g.setGroupInfo(new byte[] {1});
      }, bad);
      n.fails(6, p -> p.initAs(NodeService.ResolveUserParams.factory).setName("NOT valid"), bad);
      n.fails(6, p -> p.initAs(NodeService.ResolveUserParams.factory)
          .initName(2).asByteBuffer().put(new byte[] {(byte) 0xc3, (byte) 0x28}), bad);
      n.fails(5, p -> p.initAs(NodeService.FetchKeyPackagesParams.factory).setUser("nobody"),
          NodeErrors.UNKNOWN_USER);
      assertThatThrownBy(() -> n.call(99, p -> { }, r -> null))
          .isInstanceOfSatisfying(RpcException.class,
              e -> assertThat(e.code()).isEqualTo("UNKNOWN_METHOD"));
      // Still logged in and working.
      assertThat(n.fetchCall(me)).isEmpty();
    }
  }
}
