package org.quicproquo.client.files;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.NodeClient;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;

/** Real servers on loopback and registered, logged-in clients for the file tests. */
final class TestClients {
  private TestClients() {
  }

  static QpqServer server(Path data, int port, BlobLimits limits) throws Exception {
    return QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), data, RpcLimits.defaults()),
        new SecureRandom(), Clock.systemUTC(), StoreLimits.defaults(),
        new RateLimits(10_000, 10_000), limits);
  }

  /** Registers {@code name} on the server at {@code port} and logs the new client in. */
  static NodeClient loggedIn(String name, int port, Path state) throws Exception {
    SecureRandom random = new SecureRandom();
    Files.createDirectories(state);
    NodeClient client = NodeClient.create(new ClientConfig(new HostPort("127.0.0.1", port),
        state, RpcLimits.defaults(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(500),
        2.0), 40), e -> { });
    IdentityKeyPair identity = IdentityKeyPair.generate(random);
    DeviceKeyPair device = DeviceKeyPair.generate(random);
    byte[] deviceKey = device.publicKey().bytes();
    long id = client.register(name, identity.publicKey().bytes(), deviceKey,
        identity.sign(AuthTranscripts.deviceCertificate(name, deviceKey))).get(20, TimeUnit.SECONDS);
    client.login(new NodeClient.DeviceLogin(id, device::sign)).get(20, TimeUnit.SECONDS);
    return client;
  }

  /** Writes {@code size} pseudo-random bytes (fast, reproducible from {@code seed}). */
  static Path randomFile(Path file, long size, long seed) throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(buf.length, left);
        for (int i = 0; i < n; i += 8) {
          long v = r.nextLong();
          for (int j = 0; j < 8 && i + j < n; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
    return file;
  }
}
