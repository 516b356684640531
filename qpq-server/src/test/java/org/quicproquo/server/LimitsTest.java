package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.server.store.StoreLimits;

/** Quotas and per-identity rate limits give typed, explained errors. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] id() {
    byte[] x = new byte[16];
    random.nextBytes(x);
    return x;
  }

  @Test
  void keyPackageAndQueueQuotas() throws Exception {
    StoreLimits small = ServerFixture.smallQuotas(2, 3);
    try (QpqServer server = ServerFixture.start(dir, small, RateLimits.defaults());
        TestNode n = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      TestAccount bob = TestAccount.generate("bob", random);
      n.register(alice);
      n.register(bob);
      n.login(alice);
      n.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, alice.keyPackages(3), alice.keyPackage()), r -> null);
      RpcException kp = n.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, alice.keyPackages(1), null), NodeErrors.QUOTA_EXCEEDED);
      assertThat(kp.type()).isEqualTo(ExceptionType.OVERLOADED);
      assertThat(kp.detail()).contains("3");

      n.enqueueCall(id(), List.of(bob.deviceId), b("a"), false);
      n.enqueueCall(id(), List.of(bob.deviceId), b("b"), false);
      RpcException q = n.fails(NodeService.METHOD_ENQUEUE,
          TestNode.enqueue(id(), List.of(alice.deviceId, bob.deviceId), b("c"), false),
          NodeErrors.QUOTA_EXCEEDED);
      assertThat(q.detail()).contains("2");
      // All or nothing: alice did not get it either.
      assertThat(n.fetchCall(alice.deviceId)).isEmpty();
    }
  }

  @Test
  void aKeyPackageUploadCostsOneCallPerKeyPackageAndAFullQuotaIsRefusedFirst() throws Exception {
    try (QpqServer server = ServerFixture.start(dir, ServerFixture.smallQuotas(10, 4),
        new RateLimits(0.01, 12));
        TestNode n = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      n.register(alice);
      n.login(alice);
      // The user's bucket holds 12. 3 one-time + 1 last-resort KeyPackages cost 4.
      n.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, alice.keyPackages(3), alice.keyPackage()), r -> null);
      // 3 more (8 left -> 5). The quota (4 one-time) is checked before any KeyPackage is
      // verified: the garbage one is never reached.
      RpcException full = n.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, List.of(alice.keyPackage(), b("garbage")),
              alice.keyPackage()), NodeErrors.QUOTA_EXCEEDED);
      assertThat(full.type()).isEqualTo(ExceptionType.OVERLOADED);
      assertThat(full.detail()).contains("KEY_PACKAGES quota of 4");
      // 5 left: an upload of 6 costs 6 and is refused as a whole (the call's own token is spent).
      RpcException limited = n.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, alice.keyPackages(6), null), NodeErrors.RATE_LIMITED);
      assertThat(limited.detail()).matches(".*retry after \\d+ms.*");
      // 4 left: a single KeyPackage still goes through.
      n.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, List.of(), alice.keyPackage()), r -> null);
    }
  }

  @Test
  void rateLimitsArePerIdentityWithRetryAfter() throws Exception {
    try (QpqServer server = ServerFixture.start(dir, StoreLimits.defaults(),
        new RateLimits(0.01, 8));
        TestNode a = TestNode.connect(server);
        TestNode c = TestNode.connect(server)) {
      TestAccount alice = TestAccount.generate("alice", random);
      a.register(alice);   // ip bucket: 7 left
      a.login(alice);      // challenge + login: 5 left
      for (int i = 0; i < 8; i++) {
        a.call(NodeService.METHOD_RESOLVE_USER,
            p -> p.initAs(NodeService.ResolveUserParams.factory).setName("alice"), r -> null);
      }
      RpcException limited = a.fails(NodeService.METHOD_RESOLVE_USER,
          p -> p.initAs(NodeService.ResolveUserParams.factory).setName("alice"),
          NodeErrors.RATE_LIMITED);
      assertThat(limited.type()).isEqualTo(ExceptionType.OVERLOADED);
      assertThat(limited.detail()).matches(".*retry after \\d+ms.*");

      // Another user from the same address has a bucket of its own.
      TestAccount carol = TestAccount.generate("carol", random);
      c.register(carol);   // ip: 4 left
      c.login(carol);      // ip: 2 left
      c.call(NodeService.METHOD_RESOLVE_USER,
          p -> p.initAs(NodeService.ResolveUserParams.factory).setName("alice"), r -> null);
      // Unauthenticated calls share the address's bucket.
      c.call(NodeService.METHOD_SERVER_INFO, p -> { }, r -> null);
      c.call(NodeService.METHOD_SERVER_INFO, p -> { }, r -> null);
      c.fails(NodeService.METHOD_SERVER_INFO, p -> { }, NodeErrors.RATE_LIMITED);
    }
  }
}
