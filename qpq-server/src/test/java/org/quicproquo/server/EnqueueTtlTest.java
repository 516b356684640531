package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.store.MutableClockAccess;
import org.quicproquo.server.store.StoreLimits;

/** Disappearing messages at the server: an expired entry is never delivered. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnqueueTtlTest {
  @TempDir Path dir;

  @Test
  void expiredEntriesAreNeverFetchedAndTtlIsBounded() throws Exception {
    var clock = MutableClockAccess.at(Instant.parse("2026-11-26T00:00:00Z"));
    SecureRandom random = new SecureRandom();
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir, RpcLimits.defaults()),
        random, clock, StoreLimits.defaults(), RateLimits.defaults());
        TestNode a = TestNode.connect(server); TestNode b = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      a.register(alice);
      a.login(alice);
      b.register(bob);
      b.login(bob);
      byte[] shortLived = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
      byte[] forever = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
      a.call(NodeService.METHOD_ENQUEUE, p -> {
        TestNode.enqueue(shortLived, List.of(bob.deviceId), new byte[] {9}, false).accept(p);
        p.getAs(NodeService.EnqueueParams.factory).setTtlSeconds(60);
      }, r -> null);
      a.enqueueCall(forever, List.of(bob.deviceId), new byte[] {8}, false);
      assertThat(b.fetchCall(bob.deviceId)).hasSize(2);
      MutableClockAccess.advance(clock, Duration.ofSeconds(61));
      List<TestNode.Envelope> left = b.fetchCall(bob.deviceId);
      assertThat(left).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(forever));

      a.fails(NodeService.METHOD_ENQUEUE, p -> {
        TestNode.enqueue(new byte[16], List.of(bob.deviceId), new byte[] {7}, false).accept(p);
        p.getAs(NodeService.EnqueueParams.factory).setTtlSeconds(31_536_001);
      }, "INVALID_ARGUMENT");
    }
  }
}
