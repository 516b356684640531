package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.TestNode.BatchItem;
import org.quicproquo.server.store.StoreLimits;

/** enqueueBatch @29: in order, idempotent, all or nothing with the failing item named. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnqueueBatchTest {
  private static final int MAX_ITEMS = org.quicproquo.server.NodeService.MAX_BATCH_ITEMS;

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  private byte[] id() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return id;
  }

  private QpqServer start(int maxQueueLength) throws Exception {
    StoreLimits d = StoreLimits.defaults();
    StoreLimits limits = new StoreLimits(d.maxPayloadBytes(), d.maxRecipients(), maxQueueLength,
        d.maxFetch(), d.maxKeyPackageBytes(), d.maxKeyPackagesPerDevice(),
        d.maxKeyPackagesPerUpload(), d.maxGroupInfoBytes(), d.maxPublicKeyBytes(),
        d.maxCertificateBytes(), d.maxDevicesPerUser(), Duration.ofDays(7));
    return QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir, RpcLimits.defaults()),
        random, Clock.systemUTC(), limits, RateLimits.defaults());
  }

  @Test
  void queuesItemsInOrderAndDropsDuplicates() throws Exception {
    try (QpqServer server = start(10_000);
        TestNode a = TestNode.connect(server); TestNode b = TestNode.connect(server);
        TestNode c = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      TestAccount carol = TestAccount.generate("carol", random);
      a.register(alice);
      a.login(alice);
      b.register(bob);
      b.login(bob);
      c.register(carol);
      c.login(carol);
      byte[] first = id();
      byte[] second = id();
      byte[] third = id();
      List<int[]> results = a.enqueueBatchCall(List.of(
          new BatchItem(first, List.of(bob.deviceId), new byte[] {1}),
          new BatchItem(second, List.of(bob.deviceId, carol.deviceId), new byte[] {2}),
          new BatchItem(first, List.of(bob.deviceId), new byte[] {1}),
          new BatchItem(third, List.of(bob.deviceId), new byte[] {3})));
      assertThat(results).containsExactly(
          new int[] {1, 0}, new int[] {2, 0}, new int[] {0, 1}, new int[] {1, 0});
      List<TestNode.Envelope> got = b.fetchCall(bob.deviceId);
      assertThat(got).extracting(TestNode.Envelope::id).containsExactly(first, second, third);
      assertThat(got).extracting(TestNode.Envelope::seq).containsExactly(1L, 2L, 3L);
      assertThat(c.fetchCall(carol.deviceId)).extracting(TestNode.Envelope::payload)
          .containsExactly(new byte[] {2});

      // A retried batch (the answer was lost) queues nothing again.
      assertThat(a.enqueueBatchCall(List.of(
          new BatchItem(second, List.of(bob.deviceId, carol.deviceId), new byte[] {2}),
          new BatchItem(third, List.of(bob.deviceId), new byte[] {3}))))
          .containsExactly(new int[] {0, 2}, new int[] {0, 1});
      assertThat(b.fetchCall(bob.deviceId)).hasSize(3);
    }
  }

  @Test
  void aFailingItemQueuesNothingAndIsNamed() throws Exception {
    try (QpqServer server = start(3);
        TestNode a = TestNode.connect(server); TestNode b = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      a.register(alice);
      a.login(alice);
      b.register(bob);
      b.login(bob);

      RpcException unknown = a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(
          List.of(new BatchItem(id(), List.of(bob.deviceId), new byte[] {1}),
              new BatchItem(id(), List.of(bob.deviceId, 999_999L), new byte[] {2}))),
          "UNKNOWN_DEVICE");
      assertThat(unknown.detail()).startsWith("item 1: ");
      assertThat(b.fetchCall(bob.deviceId)).isEmpty();

      List<BatchItem> four = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        four.add(new BatchItem(id(), List.of(bob.deviceId), new byte[] {(byte) i}));
      }
      RpcException full = a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(four),
          "QUOTA_EXCEEDED");
      assertThat(full.detail()).startsWith("item 3: ");
      assertThat(b.fetchCall(bob.deviceId)).isEmpty();
      assertThat(a.enqueueBatchCall(four.subList(0, 3))).hasSize(3);
      assertThat(b.fetchCall(bob.deviceId)).hasSize(3);
    }
  }

  @Test
  void malformedBatchesAreRefused() throws Exception {
    try (QpqServer server = start(10_000);
        TestNode a = TestNode.connect(server); TestNode b = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      a.register(alice);
      a.login(alice);
      b.register(bob);
      b.login(bob);
      a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(List.of()),
          "INVALID_ARGUMENT");
      List<BatchItem> tooMany = new ArrayList<>();
      for (int i = 0; i <= MAX_ITEMS; i++) {
        tooMany.add(new BatchItem(id(), List.of(bob.deviceId), new byte[] {1}));
      }
      a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(tooMany),
          "INVALID_ARGUMENT");
      RpcException badId = a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(
          List.of(new BatchItem(id(), List.of(bob.deviceId), new byte[] {1}),
              new BatchItem(new byte[3], List.of(bob.deviceId), new byte[] {1}))),
          "INVALID_ARGUMENT");
      assertThat(badId.detail()).startsWith("item 1: ");
      RpcException empty = a.fails(NodeService.METHOD_ENQUEUE_BATCH, TestNode.enqueueBatch(
          List.of(new BatchItem(id(), List.of(bob.deviceId), new byte[0]))), "INVALID_ARGUMENT");
      assertThat(empty.detail()).startsWith("item 0: ");
      List<Long> many = new ArrayList<>();
      for (long d = 1; d <= 1000; d++) {
        many.add(d);
      }
      List<BatchItem> wide = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        wide.add(new BatchItem(id(), many, new byte[] {1}));
      }
      RpcException tooWide = a.fails(NodeService.METHOD_ENQUEUE_BATCH,
          TestNode.enqueueBatch(wide), "INVALID_ARGUMENT");
      assertThat(tooWide.detail()).startsWith("item 4: ");
      assertThat(b.fetchCall(bob.deviceId)).isEmpty();
    }
  }
}
