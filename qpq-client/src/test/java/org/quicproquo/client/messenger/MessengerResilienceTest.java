package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/** Crashes and races: what DESIGN.md's "no accepted message is lost" and "groups never fork" mean. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MessengerResilienceTest {
  @TempDir Path root;
  private final List<Messenger> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(Messenger::close);
  }

  private Messenger user(String name, int port, Recorder rec) {
    Messenger m = openOnly(name, port, rec);
    m.register(name);
    return m;
  }

  private Messenger openOnly(String name, int port, Recorder rec) {
    ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", port), root.resolve(name),
        RpcLimits.defaults(), new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2.0), 3);
    Messenger m = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
        .withPollInterval(Duration.ofMillis(300)).withCallTimeout(Duration.ofSeconds(5)), rec);
    open.add(m);
    return m;
  }

  @Test
  void serverKilledWithSigkillMidConversationLosesAndDuplicatesNothing() throws Exception {
    Path data = root.resolve("server");
    ServerProcess server = ServerProcess.start(data, 0);
    int port = server.port;
    try {
      Recorder a = new Recorder();
      Recorder b = new Recorder();
      Messenger alice = user("alice", port, a);
      Messenger bob = user("bob", port, b);
      Conversation dm = alice.openDm("bob");
      for (int i = 0; i < 5; i++) {
        alice.sendText(dm, "before " + i);
      }
      b.await(t -> t.size() == 5);
      bob.sendText(bob.find("@alice"), "ack from bob");
      // Let alice's queue hold bob's message unacknowledged when the server dies.
      server.kill();
      for (int i = 0; i < 5; i++) {
        alice.sendText(dm, "during " + i); // server down: these wait in alice's outbox
      }
      assertThat(alice.outboxSize()).isEqualTo(5);
      server = ServerProcess.start(data, port);
      alice.sync();
      assertThat(alice.outboxSize()).isZero();
      for (int i = 0; i < 5; i++) {
        alice.sendText(dm, "after " + i);
      }
      b.await(t -> t.size() == 15);
      a.await(t -> t.contains("ack from bob"));
      List<String> expected = new ArrayList<>();
      for (String phase : new String[] {"before", "during", "after"}) {
        for (int i = 0; i < 5; i++) {
          expected.add(phase + " " + i);
        }
      }
      assertThat(b.texts()).containsExactlyElementsOf(expected);
      assertThat(a.texts()).containsExactly("ack from bob");
      List<String> bobHistory = bob.history(bob.find("@alice"), 100).stream()
          .filter(m -> m.kind() == StoredMessage.Kind.TEXT).map(StoredMessage::body).toList();
      assertThat(bobHistory).hasSize(16).doesNotHaveDuplicates();
    } finally {
      server.kill();
    }
  }

  @Test
  void fiveMembersCommittingAtOnceConvergeOnOneEpoch() throws Exception {
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC())) {
      int port = server.address().getPort();
      String[] names = {"m0", "m1", "m2", "m3", "m4"};
      Messenger[] ms = new Messenger[5];
      for (int i = 0; i < 5; i++) {
        ms[i] = user(names[i], port, new Recorder());
      }
      Conversation g = ms[0].createGroup("race");
      for (int i = 1; i < 5; i++) {
        g = ms[0].invite(g, names[i]);
      }
      for (Messenger m : ms) {
        m.sync();
      }
      long start = ms[0].find("#race").epoch();
      ExecutorService pool = Executors.newFixedThreadPool(5);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Conversation>> results = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Messenger m = ms[i];
        String newName = "race-" + i;
        results.add(pool.submit(() -> {
          Conversation c = m.find("#race");
          go.await();
          return m.rename(c, newName);
        }));
      }
      go.countDown();
      for (Future<Conversation> f : results) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      for (Messenger m : ms) {
        m.sync();
      }
      Conversation first = ms[0].conversations().get(0);
      assertThat(first.epoch()).isEqualTo(start + 5);
      byte[] auth = ms[0].epochAuthenticator(first);
      for (Messenger m : ms) {
        Conversation c = m.conversations().get(0);
        assertThat(c.epoch()).isEqualTo(start + 5);
        assertThat(c.name()).isEqualTo(first.name()).startsWith("race-");
        assertThat(m.epochAuthenticator(c)).isEqualTo(auth);
      }
    }
  }

  @Test
  void receiverKilledWithSigkillMidSyncEndsWithEveryMessageOnce() throws Exception {
    try (QpqServer server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC())) {
      int port = server.address().getPort();
      Messenger alice = user("alice", port, new Recorder());
      Messenger bob = user("bob", port, new Recorder());
      Conversation dm = alice.openDm("bob");
      bob.sync();
      bob.close();
      open.remove(bob);
      // Many fetch batches of 100, so the kill below lands part-way through even when this
      // thread is slow to see the first batch stored.
      int total = 600;
      for (int i = 0; i < total; i++) {
        alice.sendText(dm, "n" + i);
      }
      Path bobDb = root.resolve("bob").resolve("account.db");
      Process child = startClient(port, root.resolve("bob"));
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Kill while the child is part-way through the queue.
        while (countTexts(bobDb) < 30) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the child client received nothing");
          }
          Thread.sleep(5);
        }
      } finally {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      int atKill = countTexts(bobDb);
      assertThat(atKill).isLessThan(total);
      Recorder after = new Recorder();
      Messenger bobAgain = openOnly("bob", port, after);
      bobAgain.connect();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expected.add("n" + i);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (countTexts(bobDb) < total && System.nanoTime() < deadline) {
        bobAgain.sync();
        Thread.sleep(20);
      }
      List<String> history = bobAgain.history(bobAgain.find("@alice"), 1000).stream()
          .filter(m -> m.kind() == StoredMessage.Kind.TEXT).map(StoredMessage::body).toList();
      assertThat(history).as("killed after %d of %d", atKill, total)
          .containsExactlyElementsOf(expected);
    }
  }

  private static Process startClient(int port, Path state) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        ClientProcess.class.getName(), Integer.toString(port), state.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8)).readLine();
    if (!"ready".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("client process did not start: " + line);
    }
    return p;
  }

  /** Text lines in a client's history, read straight from its SQLite file (WAL allows this). */
  private static int countTexts(Path db) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.ResultSet r = c.createStatement().executeQuery(
            "SELECT count(*) FROM messages WHERE kind = 1")) {
      return r.next() ? r.getInt(1) : 0;
    }
  }
}
