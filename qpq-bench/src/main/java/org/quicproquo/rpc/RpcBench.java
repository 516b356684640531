package org.quicproquo.rpc;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.capnproto.Data;
import org.quicproquo.bench.BenchReport;
import org.quicproquo.bench.Latencies;

/**
 * {@code qpq bench rpc}: small-call throughput and latency of Cap'n Proto RPC over QUIC on loopback,
 * beside a raw Netty QUIC echo of the same payload in the same run.
 *
 * <p>Both sides run {@code lanes} closed loops (send, wait for the answer, send again) for the same
 * time: RPC lanes share {@code streams} streams of one connection, as a real client does; raw lanes
 * each own a stream, since a raw byte stream cannot multiplex. One I/O thread per side in both.
 *
 * <p>Run: {@code ./qpq bench rpc [--json FILE] [--seconds N] [--rounds N] [--lanes N] [--payload BYTES]}.
 */
public final class RpcBench {
  /** Interface id of the benchmark's echo capability (not part of the qpq schema). */
  static final long ECHO_INTERFACE = 0x9e3779b97f4a7c15L;

  /** Settings of one run. */
  public record Settings(int lanes, int streams, int payloadBytes, Duration warmup,
      Duration measure, int rounds) {
    public Settings {
      if (lanes < 1 || streams < 1 || payloadBytes < 1 || payloadBytes > 1 << 20 || rounds < 1) {
        throw new IllegalArgumentException("lanes, streams, rounds >= 1; payload 1..1 MiB");
      }
    }
  }

  private final Settings settings;
  private final BenchReport report;

  public RpcBench(Settings settings, BenchReport report) {
    this.settings = settings;
    this.report = report;
  }

  /** Runs both measurements and reports them; returns RPC throughput / raw throughput. */
  public double run() throws Exception {
    TlsIdentity identity = TlsIdentity.generate("qpq bench", new SecureRandom(),
        Clock.systemUTC());
    RpcLimits limits = RpcLimits.defaults();
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    byte[] payload = new byte[settings.payloadBytes()];
    new SecureRandom().nextBytes(payload);
    String scenario = "small-call " + settings.payloadBytes() + "B";

    try (RpcServer rpcServer = RpcServer.builder(identity, conn -> echo()).bind(loopback)
        .limits(limits).start();
        RpcClient rpcClient = RpcClient.builder(rpcServer.localAddress(),
            ServerTrust.pinned(identity.fingerprint())).connect().get(10, TimeUnit.SECONDS);
        RawQuicEchoServer rawServer = new RawQuicEchoServer(identity, limits, loopback)) {
      List<RpcConnection> streams = new ArrayList<>();
      for (int i = 0; i < settings.streams(); i++) {
        streams.add(rpcClient.openStream().get(10, TimeUnit.SECONDS));
      }
      // Rounds alternate between the two so that JIT warm-up and changes in machine load fall on
      // both alike; each figure reported is the median over the rounds.
      List<Measurement> rpc = new ArrayList<>();
      List<Measurement> raw = new ArrayList<>();
      for (int round = 0; round < settings.rounds(); round++) {
        rpc.add(measure((lane, done) -> rpcLane(streams.get(lane % streams.size()), payload,
            done)));
        // Raw lanes own a stream each; a fresh connection per round keeps clear of stream limits.
        try (RpcClient rawClient = RpcClient.builder(rawServer.localAddress(),
            ServerTrust.pinned(identity.fingerprint())).connect().get(10, TimeUnit.SECONDS)) {
          raw.add(measure((lane, done) -> rawLane((RpcClientImpl) rawClient, payload, done)));
        }
      }
      double rpcRate = report(scenario, "qpq-rpc", rpc);
      double rawRate = report(scenario, "raw-quic", raw);
      report.ratio("rpc/raw throughput", rpcRate, rawRate, 0.5);
      return rpcRate / rawRate;
    }
  }

  /** One measured window of one implementation. */
  private record Measurement(double rate, double p50Micros, double p99Micros,
      double cpuMicrosPerCall) {}

  private double report(String scenario, String impl, List<Measurement> rounds) {
    double rate = median(rounds.stream().mapToDouble(Measurement::rate).toArray());
    report.result(scenario, impl, "throughput", rate, "calls/s");
    report.result(scenario, impl, "p50",
        median(rounds.stream().mapToDouble(Measurement::p50Micros).toArray()), "us");
    report.result(scenario, impl, "p99",
        median(rounds.stream().mapToDouble(Measurement::p99Micros).toArray()), "us");
    report.result(scenario, impl, "cpu-per-call",
        median(rounds.stream().mapToDouble(Measurement::cpuMicrosPerCall).toArray()), "us");
    return rate;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static Capability echo() {
    return (interfaceId, methodId, ctx) -> {
      if (interfaceId != ECHO_INTERFACE || methodId != 0) {
        return Capability.unknownMethod(interfaceId, methodId);
      }
      ctx.results().setAs(Data.factory, ctx.params().getAs(Data.factory));
      return CompletableFuture.completedFuture(null);
    };
  }

  /** Starts one closed-loop lane; {@code roundTrip} is called after each completed round trip. */
  @FunctionalInterface
  private interface LaneStarter {
    void start(int lane, RoundTrip roundTrip) throws Exception;
  }

  /** Per-lane callback: returns false when the lane should stop. */
  @FunctionalInterface
  private interface RoundTrip {
    boolean done(Throwable error);
  }

  private Measurement measure(LaneStarter starter) throws Exception {
    long warmupEnd = System.nanoTime() + settings.warmup().toNanos();
    long measureEnd = warmupEnd + settings.measure().toNanos();
    AtomicLong count = new AtomicLong();
    // CPU time of the whole process (client and server both run here) per round trip: unlike
    // wall-clock rates it stays meaningful when other processes compete for the cores.
    long[] cpuAtWindow = {-1, -1};
    List<Latencies> perLane = new ArrayList<>();
    List<CompletableFuture<Void>> finished = new ArrayList<>();
    for (int lane = 0; lane < settings.lanes(); lane++) {
      Latencies lat = new Latencies(1 << 16);
      perLane.add(lat);
      CompletableFuture<Void> fin = new CompletableFuture<>();
      finished.add(fin);
      long[] sentAt = {System.nanoTime()};
      starter.start(lane, error -> {
        long now = System.nanoTime();
        if (error != null) {
          fin.completeExceptionally(error);
          return false;
        }
        if (now >= warmupEnd && cpuAtWindow[0] < 0) {
          synchronized (cpuAtWindow) {
            if (cpuAtWindow[0] < 0) {
              cpuAtWindow[0] = processCpuNanos();
            }
          }
        }
        if (now >= measureEnd && cpuAtWindow[1] < 0) {
          synchronized (cpuAtWindow) {
            if (cpuAtWindow[1] < 0) {
              cpuAtWindow[1] = processCpuNanos();
            }
          }
        }
        if (now >= warmupEnd && now < measureEnd) {
          synchronized (lat) {
            lat.record(now - sentAt[0]);
          }
          count.incrementAndGet();
        }
        if (now >= measureEnd) {
          fin.complete(null);
          return false;
        }
        sentAt[0] = now;
        return true;
      });
    }
    CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new))
        .get(settings.warmup().plus(settings.measure()).toMillis() + 30_000, TimeUnit.MILLISECONDS);
    Latencies all = new Latencies(1 << 16);
    perLane.forEach(all::merge);
    double seconds = settings.measure().toNanos() / 1e9;
    return new Measurement(count.get() / seconds, all.percentile(50) / 1e3,
        all.percentile(99) / 1e3,
        (cpuAtWindow[1] - cpuAtWindow[0]) / 1e3 / Math.max(1, count.get()));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static void rpcLane(RpcConnection conn, byte[] payload, RoundTrip roundTrip) {
    conn.call(ECHO_INTERFACE, 0, p -> p.setAs(Data.factory, new Data.Reader(payload)),
            r -> r.getAs(Data.factory).size())
        .whenComplete((size, e) -> {
          Throwable err = e != null ? e : size != payload.length
              ? new IllegalStateException("echo returned " + size + " bytes") : null;
          if (roundTrip.done(err)) {
            rpcLane(conn, payload, roundTrip);
          }
        });
  }

  private static void rawLane(RpcClientImpl client, byte[] payload, RoundTrip roundTrip) {
    QuicStreamChannel[] stream = new QuicStreamChannel[1];
    RawQuicEchoServer.Lane lane = new RawQuicEchoServer.Lane(payload, () -> {
      if (roundTrip.done(null)) {
        stream[0].writeAndFlush(Unpooled.wrappedBuffer(payload));
      } else {
        stream[0].close();
      }
    });
    client.openBareStream(lane).addListener(f -> {
      if (!f.isSuccess()) {
        roundTrip.done(f.cause());
        return;
      }
      stream[0] = (QuicStreamChannel) f.getNow();
      stream[0].writeAndFlush(Unpooled.wrappedBuffer(payload));
    });
  }
}
