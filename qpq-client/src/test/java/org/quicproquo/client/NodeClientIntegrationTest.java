package org.quicproquo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.quicproquo.rpc.FingerprintMismatchException;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real server and client over QUIC on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeClientIntegrationTest {
  @TempDir Path serverData;
  @TempDir Path otherServerData;
  @TempDir Path clientState;

  private static QpqServer startServer(Path data, int port) throws Exception {
    return QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), data, RpcLimits.defaults()),
        new SecureRandom(), Clock.systemUTC());
  }

  private NodeClient client(int port) throws Exception {
    ClientConfig cfg = new ClientConfig(new HostPort("127.0.0.1", port), clientState,
        RpcLimits.defaults(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    return NodeClient.create(cfg, e -> { });
  }

  @Test
  void serverInfoOverQuicAndPinOnFirstUse() throws Exception {
    try (QpqServer server = startServer(serverData, 0);
        NodeClient client = client(server.address().getPort())) {
      ServerInfo info = client.serverInfo().get(20, TimeUnit.SECONDS);
      assertThat(info.version()).isEqualTo(QpqServer.VERSION);
      assertThat(info.cipherSuites()).containsExactly(1, 3);
      assertThat(info.maxMessageBytes()).isEqualTo(RpcLimits.defaults().maxMessageBytes());
      assertThat(info.idleTimeoutMillis()).isEqualTo(60_000);
      assertThat(client.pinnedFingerprint()).contains(server.fingerprint());
    }
  }

  @Test
  void reconnectsAfterServerRestartWithSameIdentity() throws Exception {
    QpqServer first = startServer(serverData, 0);
    int port = first.address().getPort();
    try (NodeClient client = client(port)) {
      assertThat(client.serverInfo().get(20, TimeUnit.SECONDS).version()).isNotEmpty();
      var fingerprint = first.fingerprint();
      first.close();
      try (QpqServer second = startServer(serverData, port)) {
        assertThat(second.fingerprint()).isEqualTo(fingerprint);
        ServerInfo again = client.serverInfo().get(30, TimeUnit.SECONDS);
        assertThat(again.version()).isEqualTo(QpqServer.VERSION);
      }
    } finally {
      first.close();
    }
  }

  @Test
  void refusesChangedCertificate() throws Exception {
    int port;
    try (QpqServer server = startServer(serverData, 0);
        NodeClient client = client(server.address().getPort())) {
      port = server.address().getPort();
      client.serverInfo().get(20, TimeUnit.SECONDS);
    }
    try (QpqServer impostor = startServer(otherServerData, port);
        NodeClient client = client(port)) {
      assertThatThrownBy(() -> client.serverInfo().get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(FingerprintMismatchException.class)
          .hasMessageContaining(impostor.fingerprint().hex());
    }
  }
}
