package org.quicproquo.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.store.StoreLimits;

/** Starts servers on loopback with a fresh data directory. */
final class ServerFixture {
  private ServerFixture() {
  }

  static QpqServer start(Path dir) throws Exception {
    return start(dir, StoreLimits.defaults(), RateLimits.defaults());
  }

  static QpqServer start(Path dir, StoreLimits store, RateLimits rate) throws Exception {
    return QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir, RpcLimits.defaults()),
        new SecureRandom(), Clock.systemUTC(), store, rate);
  }

  /** Default store limits but a queue of {@code queue} entries and {@code kps} KeyPackages. */
  static StoreLimits smallQuotas(int queue, int kps) {
    StoreLimits d = StoreLimits.defaults();
    return new StoreLimits(d.maxPayloadBytes(), d.maxRecipients(), queue, d.maxFetch(),
        d.maxKeyPackageBytes(), kps, d.maxKeyPackagesPerUpload(), d.maxGroupInfoBytes(),
        d.maxPublicKeyBytes(), d.maxCertificateBytes(), d.maxDevicesPerUser(), Duration.ofDays(7));
  }
}
