package org.quicproquo.bench.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.store.StoreLimits;

/**
 * How the benchmark starts a qpq server: the production {@link QpqServer} on loopback with its
 * SQLite file in {@code data}, default store limits, and two settings changed on purpose:
 * <ul>
 *   <li>the per-identity rate limit is lifted (the default, 200 calls/s per user and per IP
 *       before login, would cap a single sending device below 200 messages/s and would refuse the
 *       idle-client population, which all logs in from 127.0.0.1);
 *   <li>the QUIC idle timeout is {@link #IDLE_TIMEOUT}, on both sides, so that idle clients stay
 *       connected while the heap is measured (the client SDK sends no keep-alives).
 * </ul>
 */
final class BenchServer {
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  private BenchServer() {
  }

  /** Client and server limits of the benchmark (defaults but for the idle timeout). */
  static RpcLimits limits() {
    RpcLimits d = RpcLimits.defaults();
    return new RpcLimits(d.maxMessageBytes(), d.maxSegments(), d.traversalLimitWords(),
        d.nestingLimit(), d.maxCallsInFlight(), d.maxStreams(), d.maxBufferedBytes(),
        IDLE_TIMEOUT, d.connectTimeout());
  }

  static QpqServer start(Path data) throws IOException {
    return QpqServer.start(new ServerConfig(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), data, limits()),
        new SecureRandom(), Clock.systemUTC(), StoreLimits.defaults(),
        new RateLimits(1_000_000, 1_000_000));
  }
}
