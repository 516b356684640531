package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** close() on servers and clients leaves no I/O thread behind, and is idempotent. */
@Timeout(60)
class ShutdownIntegrationTest {
  private static List<String> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("qpq-rpc-"))
        .collect(Collectors.toList());
  }

  @Test
  void closingEverythingStopsEveryIoThread() throws Exception {
    RpcServer server = RpcServer.builder(TestIdentities.fresh(), conn -> new EchoCapability())
        .start();
    RpcClient a = RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint())).connect().get(20, TimeUnit.SECONDS);
    RpcClient b = RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint())).connect().get(20, TimeUnit.SECONDS);
    for (RpcClient c : List.of(a, b)) {
      RpcConnection s = c.openStream().get(20, TimeUnit.SECONDS);
      assertThat(s.call(EchoCapability.INTERFACE_ID, EchoCapability.ECHO,
          p -> EchoCapability.setText(p, "x"), EchoCapability::text).get(20, TimeUnit.SECONDS))
          .isEqualTo("x");
    }
    assertThat(ioThreads()).isNotEmpty();
    a.close();
    a.close();
    // b is still connected when the server goes away: it learns so and closes cleanly too.
    server.close();
    server.close();
    b.closeFuture().get(20, TimeUnit.SECONDS);
    b.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ioThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ioThreads()).isEmpty();
  }
}
