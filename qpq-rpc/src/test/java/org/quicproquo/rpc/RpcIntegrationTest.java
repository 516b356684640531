package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.capnproto.AnyPointer;
import org.capnproto.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RpcIntegrationTest {
  private final EchoCapability echo = new EchoCapability();
  private TlsIdentity identity;
  private RpcServer server;
  private final List<RpcClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    identity = TestIdentities.fresh();
    server = RpcServer.builder(identity, conn -> echo).start();
  }

  @AfterEach
  void stop() {
    echo.releaseHanging();
    clients.forEach(RpcClient::close);
    server.close();
  }

  private RpcClient connect(RpcClient.Builder b) throws Exception {
    RpcClient c = b.connect().get(20, TimeUnit.SECONDS);
    clients.add(c);
    return c;
  }

  private RpcClient connect() throws Exception {
    return connect(RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint())));
  }

  private static CompletableFuture<String> echo(RpcConnection c, int method, String s) {
    return c.call(EchoCapability.INTERFACE_ID, method, p -> EchoCapability.setText(p, s),
        EchoCapability::text);
  }

  private static RpcException rpcFailure(CompletableFuture<?> f) {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RpcException.class);
      return (RpcException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("call succeeded");
  }

  @Test
  void echoRoundTrip() throws Exception {
    RpcClient client = connect();
    assertThat(client.serverFingerprint()).isEqualTo(identity.fingerprint());
    RpcConnection c = client.openStream().get(20, TimeUnit.SECONDS);
    assertThat(echo(c, EchoCapability.ECHO, "hello").get(20, TimeUnit.SECONDS))
        .isEqualTo("hello");
  }

  @Test
  void thousandConcurrentCallsOverTenStreamsAllAnsweredCorrectly() throws Exception {
    RpcClient client = connect();
    List<RpcConnection> streams = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      streams.add(client.openStream().get(20, TimeUnit.SECONDS));
    }
    List<CompletableFuture<String>> calls = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    // Issued from several threads at once; delays vary so answers come back out of order.
    List<Thread> threads = new ArrayList<>();
    List<List<CompletableFuture<String>>> perThread = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<CompletableFuture<String>> mine = new ArrayList<>();
      perThread.add(mine);
      int offset = t;
      threads.add(new Thread(() -> {
        for (int i = offset; i < 1000; i += 4) {
          mine.add(echo(streams.get(i % 10), EchoCapability.DELAYED_ECHO, "call-" + i));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(20_000);
    }
    for (int t = 0; t < 4; t++) {
      int i = t;
      for (CompletableFuture<String> f : perThread.get(t)) {
        calls.add(f);
        expected.add("call-" + i);
        i += 4;
      }
    }
    assertThat(calls).hasSize(1000);
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).join()).isEqualTo(expected.get(i));
    }
  }

  @Test
  void answersMayCompleteOutOfOrder() throws Exception {
    RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
    CompletableFuture<String> hung = echo(c, EchoCapability.HANG, "first");
    String second = echo(c, EchoCapability.ECHO, "second").get(20, TimeUnit.SECONDS);
    assertThat(second).isEqualTo("second");
    assertThat(hung).isNotDone();
  }

  @Test
  void applicationErrorCarriesTypeCodeAndMessage() throws Exception {
    RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(echo(c, EchoCapability.FAIL, "that"));
    assertThat(e.type()).isEqualTo(ExceptionType.FAILED);
    assertThat(e.code()).isEqualTo("NOT_ALLOWED");
    assertThat(e.detail()).isEqualTo("you may not: that");
    // The stream survives the failed call.
    assertThat(echo(c, EchoCapability.ECHO, "still").get(20, TimeUnit.SECONDS)).isEqualTo("still");
  }

  @Test
  void internalErrorsDoNotLeakTheirMessage() throws Exception {
    RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(echo(c, EchoCapability.CRASH, "x"));
    assertThat(e.type()).isEqualTo(ExceptionType.FAILED);
    assertThat(e.code()).isEqualTo(RpcErrors.INTERNAL);
    assertThat(e.getMessage()).doesNotContain("secret");
    assertThat(echo(c, EchoCapability.ECHO, "alive").get(20, TimeUnit.SECONDS)).isEqualTo("alive");
  }

  @Test
  void unknownInterfaceAndMethodAreUnimplemented() throws Exception {
    RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
    RpcException iface = rpcFailure(c.call(0x1234L, 0, p -> { }, r -> r));
    assertThat(iface.type()).isEqualTo(ExceptionType.UNIMPLEMENTED);
    assertThat(iface.code()).isEqualTo(RpcErrors.UNKNOWN_INTERFACE);
    RpcException method = rpcFailure(c.call(EchoCapability.INTERFACE_ID, 999, p -> { },
        r -> r));
    assertThat(method.type()).isEqualTo(ExceptionType.UNIMPLEMENTED);
    assertThat(method.code()).isEqualTo(RpcErrors.UNKNOWN_METHOD);
  }

  @Test
  void resultsOverTheLimitBecomeAnException() throws Exception {
    server.close();
    server = RpcServer.builder(identity, conn -> echo)
        .limits(RpcLimits.defaults().withMaxMessageBytes(64 * 1024)).start();
    RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(echo(c, EchoCapability.BIG, "100000"));
    assertThat(e.code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
    assertThat(echo(c, EchoCapability.BIG, "1000").get(20, TimeUnit.SECONDS)).hasSize(1000);
  }

  @Test
  void paramsOverTheClientLimitFailLocally() throws Exception {
    RpcConnection c = connect(RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint()))
        .limits(RpcLimits.defaults().withMaxMessageBytes(4096)))
        .openStream().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(echo(c, EchoCapability.ECHO, "y".repeat(10_000)));
    assertThat(e.code()).isEqualTo(RpcErrors.MESSAGE_TOO_LARGE);
    assertThat(echo(c, EchoCapability.ECHO, "small").get(20, TimeUnit.SECONDS)).isEqualTo("small");
  }

  @Test
  void callsBeyondTheInFlightLimitAreOverloaded() throws Exception {
    server.close();
    server = RpcServer.builder(identity, conn -> echo)
        .limits(RpcLimits.defaults().withMaxCallsInFlight(5)).start();
    RpcClient client = connect();
    RpcConnection a = client.openStream().get(20, TimeUnit.SECONDS);
    RpcConnection b = client.openStream().get(20, TimeUnit.SECONDS);
    List<CompletableFuture<String>> hung = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      hung.add(echo(i % 2 == 0 ? a : b, EchoCapability.HANG, "h" + i));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (echo.hangingCount() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    RpcException e = rpcFailure(echo(b, EchoCapability.ECHO, "one too many"));
    assertThat(e.type()).isEqualTo(ExceptionType.OVERLOADED);
    assertThat(e.code()).isEqualTo(RpcErrors.TOO_MANY_CALLS);
    echo.releaseHanging();
    CompletableFuture.allOf(hung.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(echo(b, EchoCapability.ECHO, "room again").get(20, TimeUnit.SECONDS))
        .isEqualTo("room again");
  }

  @Test
  void closingAStreamFailsItsPendingCallsAndLeavesOthersAlone() throws Exception {
    RpcClient client = connect();
    RpcConnection a = client.openStream().get(20, TimeUnit.SECONDS);
    RpcConnection b = client.openStream().get(20, TimeUnit.SECONDS);
    CompletableFuture<String> pending = echo(a, EchoCapability.HANG, "never");
    while (echo.hangingCount() < 1) {
      Thread.sleep(5);
    }
    a.close();
    RpcException e = rpcFailure(pending);
    assertThat(e.type()).isEqualTo(ExceptionType.DISCONNECTED);
    assertThat(e.code()).isEqualTo(RpcErrors.CONNECTION_LOST);
    a.closeFuture().get(20, TimeUnit.SECONDS);
    assertThat(echo(b, EchoCapability.ECHO, "b lives").get(20, TimeUnit.SECONDS))
        .isEqualTo("b lives");
  }

  @Test
  void mismatchingPinIsRefusedWithBothFingerprints() throws Exception {
    CertificateFingerprint other = TestIdentities.fresh().fingerprint();
    CompletableFuture<RpcClient> f = RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(other)).serverName("chat.example.org:7000").connect();
    Throwable cause = assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).actual().getCause();
    assertThat(cause).isInstanceOf(FingerprintMismatchException.class);
    FingerprintMismatchException m = (FingerprintMismatchException) cause;
    assertThat(m.expected()).isEqualTo(other);
    assertThat(m.presented()).isEqualTo(server.fingerprint());
    assertThat(m.server()).isEqualTo("chat.example.org:7000");
    assertThat(m.code()).isEqualTo(RpcErrors.CERTIFICATE_MISMATCH);
    assertThat(m.getMessage()).contains(other.hex()).contains(server.fingerprint().hex());
    // The server is unaffected.
    assertThat(echo(connect().openStream().get(20, TimeUnit.SECONDS), EchoCapability.ECHO, "ok")
        .get(20, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  @Test
  void trustOnFirstUseRecordsThenEnforces() throws Exception {
    var pins = new ConcurrentHashMap<String, CertificateFingerprint>();
    PinStore store = new PinStore() {
      @Override
      public Optional<CertificateFingerprint> pinned(String name) {
        return Optional.ofNullable(pins.get(name));
      }

      @Override
      public void firstUse(String name, CertificateFingerprint presented) {
        pins.put(name, presented);
      }
    };
    RpcClient first = connect(RpcClient.builder(server.localAddress(),
        ServerTrust.trustOnFirstUse(store)).serverName("srv"));
    assertThat(pins).containsEntry("srv", identity.fingerprint());
    first.close();
    connect(RpcClient.builder(server.localAddress(), ServerTrust.trustOnFirstUse(store))
        .serverName("srv"));
    // Same name, another server key: refused.
    TlsIdentity impostor = TestIdentities.fresh();
    try (RpcServer other = RpcServer.builder(impostor, conn -> echo).start()) {
      CompletableFuture<RpcClient> f = RpcClient.builder(other.localAddress(),
          ServerTrust.trustOnFirstUse(store)).serverName("srv").connect();
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(FingerprintMismatchException.class);
    }
    assertThat(pins).containsEntry("srv", identity.fingerprint());
  }

  @Test
  void connectToNothingTimesOutWithTypedError() throws Exception {
    int port;
    try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CompletableFuture<RpcClient> f = RpcClient.builder(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
        ServerTrust.pinned(server.fingerprint()))
        .limits(RpcLimits.defaults().withConnectTimeout(Duration.ofMillis(500)))
        .connect();
    Throwable cause = assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).actual().getCause();
    assertThat(((RpcException) cause).code()).isEqualTo(RpcErrors.CONNECT_FAILED);
  }

  @Test
  void clientReceivesPushedEvents() throws Exception {
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    RpcClient client = connect(RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint()))
        .events(e -> events.add(e.getRoot(AnyPointer.factory).getAs(Text.factory).toString())));
    RpcConnection c = client.openStream().get(20, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      echo(c, EchoCapability.PUSH, "event-" + i).get(20, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("event-" + i);
    }
  }

  @Test
  void serverCanPushOutsideOfCalls() throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    LinkedBlockingQueue<ServerConnection> connections = restartRecordingConnections();
    RpcClient client = connect(RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint())).events(e -> seen.countDown()));
    client.openStream().get(20, TimeUnit.SECONDS);
    ServerConnection conn = connections.poll(20, TimeUnit.SECONDS);
    conn.push(textEvent("hint")).get(20, TimeUnit.SECONDS);
    assertThat(seen.await(20, TimeUnit.SECONDS)).isTrue();
    client.close();
    conn.closeFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * A client that stops reading gets its push stream filled; later events are dropped (push is
   * a hint, never buffered without bound), but the newest dropped one is sent once the stream
   * drains, so the client learns it missed something without waiting for its next poll.
   */
  @Test
  void theNewestDroppedEventArrivesOnceTheClientReadsAgain() throws Exception {
    LinkedBlockingQueue<ServerConnection> connections = restartRecordingConnections();
    CountDownLatch reading = new CountDownLatch(1);
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    RpcClient client = connect(RpcClient.builder(server.localAddress(),
        ServerTrust.pinned(server.fingerprint())).events(e -> {
          String text = e.getRoot(AnyPointer.factory).getAs(Text.factory).toString();
          if (text.startsWith("block")) {
            try {
              // Holds the client's I/O thread: it reads nothing more meanwhile.
              reading.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
            }
          }
          events.add(text.substring(0, text.indexOf(':')));
        }));
    client.openStream().get(20, TimeUnit.SECONDS);
    ServerConnection conn = connections.poll(20, TimeUnit.SECONDS);
    String filler = ":" + "x".repeat(16 * 1024);
    conn.push(textEvent("block" + filler)).get(20, TimeUnit.SECONDS);
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < 2_000 && dropped.size() < 3; i++) {
      CompletableFuture<Void> f = conn.push(textEvent("e" + i + filler));
      try {
        f.get(100, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        assertThat(((RpcException) e.getCause()).code()).isEqualTo(RpcErrors.PUSH_DROPPED);
        dropped.add("e" + i);
      } catch (java.util.concurrent.TimeoutException e) {
        // written into the stream, waiting for the client's flow-control credit
      }
    }
    assertThat(dropped).hasSize(3);
    reading.countDown();
    String newest = dropped.get(2);
    List<String> seen = new ArrayList<>();
    while (!seen.contains(newest)) {
      String e = events.poll(20, TimeUnit.SECONDS);
      assertThat(e).as("events after the client read again: %s", seen).isNotNull();
      seen.add(e);
    }
    assertThat(seen).doesNotContain(dropped.get(0), dropped.get(1));
  }

  /** Restarts the echo server so that it hands each new connection to the returned queue. */
  private LinkedBlockingQueue<ServerConnection> restartRecordingConnections() {
    var connections = new LinkedBlockingQueue<ServerConnection>();
    server.close();
    server = RpcServer.builder(identity, conn -> {
      connections.add(conn);
      return echo;
    }).start();
    return connections;
  }

  private static org.capnproto.MessageBuilder textEvent(String text) {
    var event = new org.capnproto.MessageBuilder();
    EchoCapability.setText(event.initRoot(AnyPointer.factory), text);
    return event;
  }

  @Test
  void executorRunsCallsOffTheIoThread() throws Exception {
    server.close();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      server = RpcServer.builder(identity, conn -> (iface, method, ctx) -> {
        EchoCapability.setText(ctx.results(), Thread.currentThread().getName());
        return CompletableFuture.completedFuture(null);
      }).executor(pool).start();
      RpcConnection c = connect().openStream().get(20, TimeUnit.SECONDS);
      assertThat(echo(c, 0, "").get(20, TimeUnit.SECONDS)).startsWith("pool-");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void streamsBeyondTheServerLimitAreRefusedAsOverloaded() throws Exception {
    server.close();
    server = RpcServer.builder(identity, conn -> echo)
        .limits(RpcLimits.defaults().withMaxStreams(2)).start();
    RpcClient client = connect();
    RpcConnection a = client.openStream().get(20, TimeUnit.SECONDS);
    client.openStream().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(client.openStream());
    assertThat(e.type()).isEqualTo(ExceptionType.OVERLOADED);
    assertThat(e.code()).isEqualTo(RpcErrors.TOO_MANY_STREAMS);
    // Closing a stream gives the credit back (after the server's MAX_STREAMS update).
    a.close();
    RpcConnection c = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (c == null && System.nanoTime() < deadline) {
      try {
        c = client.openStream().get(20, TimeUnit.SECONDS);
      } catch (ExecutionException retry) {
        Thread.sleep(50);
      }
    }
    assertThat(c).isNotNull();
    assertThat(echo(c, EchoCapability.ECHO, "third").get(20, TimeUnit.SECONDS)).isEqualTo("third");
  }

  @Test
  void idleConnectionsAreClosedByTheIdleTimeout() throws Exception {
    server.close();
    server = RpcServer.builder(identity, conn -> echo)
        .limits(RpcLimits.defaults().withIdleTimeout(Duration.ofSeconds(1))).start();
    RpcClient client = connect();
    RpcConnection c = client.openStream().get(20, TimeUnit.SECONDS);
    client.closeFuture().get(20, TimeUnit.SECONDS);
    RpcException e = rpcFailure(echo(c, EchoCapability.ECHO, "too late"));
    assertThat(e.type()).isEqualTo(ExceptionType.DISCONNECTED);
  }
}
