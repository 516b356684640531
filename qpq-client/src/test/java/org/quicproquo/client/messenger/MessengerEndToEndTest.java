package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/** Messengers talking through a real server over QUIC on loopback, each with its own state. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessengerEndToEndTest {
  @TempDir Path root;
  private QpqServer server;
  private final List<Messenger> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    open.forEach(Messenger::close);
    server.close();
  }

  private Messenger user(String name, Recorder rec) {
    return user(name, rec, Duration.ofMillis(500));
  }

  private Messenger user(String name, Recorder rec, Duration poll) {
    ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
        root.resolve(name), RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    Messenger m = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
        .withPollInterval(poll), rec);
    open.add(m);
    return m;
  }

  private Messenger registered(String name, Recorder rec) {
    Messenger m = user(name, rec);
    m.register(name);
    return m;
  }

  @Test
  void directMessagesBothWays() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);

    Conversation dm = alice.openDm("bob");
    assertThat(dm.dm()).isTrue();
    assertThat(dm.members()).containsExactlyInAnyOrder("alice", "bob");
    alice.sendText(dm, "hi bob");
    b.await(t -> t.contains("hi bob"));

    Conversation bobsDm = bob.find("@alice");
    assertThat(bobsDm.dm()).isTrue();
    bob.sendText(bobsDm, "hi alice");
    a.await(t -> t.contains("hi alice"));
    assertThat(alice.epochAuthenticator(dm)).isEqualTo(bob.epochAuthenticator(bobsDm));
    assertThat(alice.openDm("bob").shortId()).isEqualTo(dm.shortId());
    assertThat(bob.history(bobsDm, 10)).extracting(m -> m.body())
        .containsSubsequence("hi bob", "hi alice");
    assertThat(a.errors).isEmpty();
    assertThat(b.errors).isEmpty();
  }

  /**
   * A receiver whose poll fetches while pushes keep coming takes the pushes that arrive during the
   * fetch on after its answer, instead of fetching again for each (which, under steady traffic,
   * kept it fetching the entries every push had already brought).
   */
  @Test
  void pushesDuringAFetchAreTakenOnWithoutFetchingAgain() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = user("alice", a, Duration.ofMinutes(5));
    alice.register("alice");
    Messenger bob = user("bob", b, Duration.ofMillis(100));
    bob.register("bob");
    Conversation dm = alice.openDm("bob");
    alice.sendText(dm, "warm");
    b.await(t -> t.contains("warm"));
    long fetchesBefore = bob.fetchCount();
    long start = System.nanoTime();
    int n = 1500;
    for (int i = 0; i < n; i++) {
      alice.sendText(dm, "b" + i);
    }
    b.await(t -> t.contains("b" + (n - 1)));
    long polls = (System.nanoTime() - start) / TimeUnit.MILLISECONDS.toNanos(100) + 1;
    List<String> burst = b.texts().stream().filter(t -> t.startsWith("b")).toList();
    assertThat(burst).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(burst.get(i)).isEqualTo("b" + i);
    }
    // One fetch per poll, one more after each full batch (100 entries: a slow machine lets the
    // queue grow past that between polls) and a few for gaps; not one per push.
    assertThat(bob.fetchCount() - fetchesBefore).as("fetches during %d polls", polls)
        .isLessThanOrEqualTo(polls + n / 100 + 10);
    assertThat(b.errors).isEmpty();
  }

  /** Entries waiting in the device's server queue (not yet acknowledged). */
  private int queued(Messenger m) {
    return server.store().queue().length(new org.quicproquo.server.store.DeviceId(m.deviceId()));
  }

  @Test
  void delayedAcksEmptyTheQueueWithoutFurtherTraffic() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    for (int i = 0; i < 3; i++) {
      alice.sendText(dm, "m" + i);
    }
    b.await(t -> t.containsAll(List.of("m0", "m1", "m2")));
    // Nothing else happens: the acks that waited for company go on their timer.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (queued(bob) > 0) {
      assertThat(System.nanoTime()).as("bob's queue still holds messages").isLessThan(deadline);
      Thread.sleep(10);
    }
    assertThat(b.texts()).containsExactly("m0", "m1", "m2");
    assertThat(b.errors).isEmpty();
  }

  @Test
  void closeSendsTheAcksStillWaiting() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    bob.sync();
    alice.sendText(dm, "last words");
    b.await(t -> t.contains("last words"));
    bob.close();
    open.remove(bob);
    // The ack (delayed by up to Messenger.ACK_DELAY_MILLIS) left before the connection closed.
    assertThat(queued(bob)).isZero();
    assertThat(b.texts()).containsExactly("last words");
  }

  @Test
  void groupOfFiveWithAddsRemovesAndRename() throws Exception {
    String[] names = {"alice", "bob", "carol", "dave", "erin"};
    Recorder[] recs = new Recorder[5];
    Messenger[] ms = new Messenger[5];
    for (int i = 0; i < 5; i++) {
      recs[i] = new Recorder();
      ms[i] = registered(names[i], recs[i]);
    }
    Conversation g = ms[0].createGroup("team");
    for (int i = 1; i < 5; i++) {
      g = ms[0].invite(g, names[i]);
    }
    assertThat(g.members()).containsExactlyInAnyOrder(names);
    ms[0].sendText(g, "welcome all");
    for (int i = 1; i < 5; i++) {
      recs[i].await(t -> t.contains("welcome all"));
    }
    Conversation carolsView = ms[2].find("#team");
    ms[2].sendText(carolsView, "thanks from carol");
    for (int i : new int[] {0, 1, 3, 4}) {
      recs[i].await(t -> t.contains("thanks from carol"));
    }
    g = ms[0].kick(g, "dave");
    assertThat(g.members()).doesNotContain("dave");
    ms[1].sync();
    Conversation renamed = ms[1].rename(ms[1].find("#team"), "crew");
    assertThat(renamed.name()).isEqualTo("crew");
    // bob's rename returned once the server took the Commit; alice hears of it by a push that
    // may still be on its way (CI once ran find first), so she takes it on before looking.
    ms[0].sync();
    ms[0].sendText(ms[0].find("#crew"), "after rename");
    for (int i : new int[] {1, 2, 4}) {
      recs[i].await(t -> t.contains("after rename"));
    }
    ms[3].sync();
    assertThat(recs[3].texts()).doesNotContain("after rename");
    assertThat(ms[3].conversations().get(0).left()).isTrue();
    byte[] auth = ms[0].epochAuthenticator(ms[0].find("#crew"));
    for (int i : new int[] {1, 2, 4}) {
      ms[i].sync();
      assertThat(ms[i].epochAuthenticator(ms[i].find("#crew"))).isEqualTo(auth);
    }
  }

  @Test
  void aBurstLongerThanOneBatchArrivesOnceAndInOrder() throws Exception {
    Recorder a = new Recorder();
    Messenger alice = registered("alice", a);
    Recorder b = new Recorder();
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    bob.sync();
    // More than one enqueueBatch holds: the outbox pump sends it as several runs
    int n = OutboxPump.MAX_BATCH_ITEMS + 44;
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      alice.sendText(dm, "burst " + i);
      expected.add("burst " + i);
    }
    b.await(t -> t.size() >= n);
    alice.sync();
    bob.sync();
    assertThat(b.texts()).containsExactlyElementsOf(expected);
  }

  /**
   * sendTextAsync: texts keep the order of the calls, also mixed with sendText; one for a
   * conversation already left fails alone while the ones around it (taken in the same batch) are
   * stored and delivered; after close, a send fails at once instead of hanging.
   */
  @Test
  void asyncSendsKeepTheirOrderAndAFailedOneFailsAlone() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    Conversation gone = alice.invite(alice.createGroup("gone"), "bob");
    alice.leave(gone);
    bob.sync();
    List<java.util.concurrent.CompletableFuture<org.quicproquo.client.store.StoredMessage>> sent =
        new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<org.quicproquo.client.store.StoredMessage>> refused =
        new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String text = "async " + i;
      if (i % 50 == 25) {
        refused.add(alice.sendTextAsync(gone, "never " + i));
      }
      if (i % 40 == 0) {
        alice.sendText(dm, text);
      } else {
        sent.add(alice.sendTextAsync(dm, text));
      }
      expected.add(text);
    }
    for (var f : sent) {
      assertThat(f.get(20, TimeUnit.SECONDS).body()).startsWith("async ");
    }
    assertThat(refused).hasSize(6).allSatisfy(f -> assertThatThrownBy(f::join)
        .hasCauseInstanceOf(MessengerException.class).hasMessageContaining("no longer in"));
    b.await(t -> t.size() >= expected.size());
    bob.sync();
    assertThat(b.texts()).containsExactlyElementsOf(expected);
    assertThat(alice.history(dm, 1000)).filteredOn(m -> m.body().startsWith("async "))
        .extracting(org.quicproquo.client.store.StoredMessage::body)
        .containsExactlyElementsOf(expected);
    alice.close();
    open.remove(alice);
    assertThatThrownBy(() -> alice.sendTextAsync(dm, "too late").get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MessengerException.class).hasMessageContaining("closed");
  }

  /** A listener that throws on one text neither fails nor strands the texts after it. */
  @Test
  void aThrowingListenerDoesNotStrandLaterAsyncTexts() throws Exception {
    Recorder a = new Recorder() {
      @Override
      public void onMessage(Conversation c, org.quicproquo.client.store.StoredMessage m) {
        super.onMessage(c, m);
        if (m.outgoing() && m.body().equals("boom")) {
          throw new IllegalStateException("listener bug");
        }
      }
    };
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    bob.sync();
    List<java.util.concurrent.CompletableFuture<org.quicproquo.client.store.StoredMessage>> sent =
        new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String text = i == 10 ? "boom" : "t" + i;
      sent.add(alice.sendTextAsync(dm, text));
      expected.add(text);
    }
    for (var f : sent) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isNotNull();
    }
    b.await(t -> t.size() >= expected.size());
    assertThat(b.texts()).containsExactlyElementsOf(expected);
  }

  /**
   * Two members sending at once: the third gets the pushes of concurrent enqueues (which may
   * arrive out of queue order, or while a fetch is on its way), so it processes some from the
   * push and fetches the rest; every message must arrive once, in its sender's order, and the
   * acks it did not wait for must empty its server queue.
   */
  @Test
  void concurrentSendersReachAMemberOnceInEachSendersOrderAndItsQueueEmpties() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Recorder c = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Messenger carol = registered("carol", c);
    Conversation g = alice.createGroup("trio");
    g = alice.invite(g, "bob");
    Conversation group = alice.invite(g, "carol");
    bob.sync();
    carol.sync();
    Conversation bobs = bob.find("#trio");
    int n = 60;
    List<String> fromAlice = new ArrayList<>();
    List<String> fromBob = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fromAlice.add("a" + i);
      fromBob.add("b" + i);
    }
    Thread t1 = new Thread(() -> fromAlice.forEach(t -> alice.sendText(group, t)));
    Thread t2 = new Thread(() -> fromBob.forEach(t -> bob.sendText(bobs, t)));
    t1.start();
    t2.start();
    t1.join();
    t2.join();
    c.await(t -> t.size() >= 2 * n);
    List<String> got = c.texts();
    assertThat(got).hasSize(2 * n);
    assertThat(got.stream().filter(t -> t.startsWith("a")).toList())
        .containsExactlyElementsOf(fromAlice);
    assertThat(got.stream().filter(t -> t.startsWith("b")).toList())
        .containsExactlyElementsOf(fromBob);
    org.quicproquo.server.store.DeviceId carols =
        new org.quicproquo.server.store.DeviceId(carol.deviceId());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.store().queue().length(carols) > 0) {
      assertThat(System.nanoTime()).as("carol's queue still holds messages").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(c.errors).isEmpty();
  }

  @Test
  void offlineRecipientGetsEverythingAfterReconnecting() throws Exception {
    Recorder a = new Recorder();
    Messenger alice = registered("alice", a);
    Recorder b1 = new Recorder();
    Messenger bob = registered("bob", b1);
    Conversation dm = alice.openDm("bob");
    bob.sync();
    bob.close();
    open.remove(bob);
    for (int i = 0; i < 20; i++) {
      alice.sendText(dm, "m" + i);
    }
    Recorder b2 = new Recorder();
    Messenger bobAgain = user("bob", b2);
    assertThat(bobAgain.isRegistered()).isTrue();
    bobAgain.connect();
    b2.await(t -> t.size() == 20);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("m" + i);
    }
    assertThat(b2.texts()).containsExactlyElementsOf(expected);
  }

  @Test
  void deletedAccountLeavesItsGroupsAndIsGone() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a);
    Messenger bob = registered("bob", b);
    Messenger carol = registered("carol", new Recorder());
    Conversation g = bob.createGroup("club");
    g = bob.invite(g, "alice");
    g = bob.invite(g, "carol");
    alice.sync();
    alice.deleteAccount();
    open.remove(alice);
    assertThat(root.resolve("alice").resolve("keys")).doesNotExist();
    assertThat(root.resolve("alice").resolve("account.db")).doesNotExist();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // Wait until both remaining members have processed the removal: bob may commit it before
    // carol has fetched that Commit, so bob's view alone does not end the wait.
    while ((bob.find("#club").members().contains("alice")
            || carol.find("#club").members().contains("alice")
            || !Arrays.equals(bob.epochAuthenticator(bob.find("#club")),
                carol.epochAuthenticator(carol.find("#club"))))
        && System.nanoTime() < deadline) {
      bob.sync();
      carol.sync();
      Thread.sleep(50);
    }
    assertThat(bob.find("#club").members()).containsExactlyInAnyOrder("bob", "carol");
    assertThat(bob.epochAuthenticator(bob.find("#club")))
        .isEqualTo(carol.epochAuthenticator(carol.find("#club")));
    assertThatThrownBy(() -> bob.openDm("alice"))
        .hasMessageContaining("alice");
  }

  @Test
  void clearErrors() {
    Recorder a = new Recorder();
    Messenger alice = registered("alice", a);
    assertThatThrownBy(() -> alice.openDm("nobody")).hasMessage(
        "There is no user nobody on this server.");
    assertThatThrownBy(() -> alice.openDm("alice")).hasMessage("That is you.");
    Messenger other = user("alice2", new Recorder());
    assertThatThrownBy(() -> other.register("alice"))
        .hasMessage("The name alice is already taken on this server.");
    assertThatThrownBy(() -> alice.find("#nothing")).hasMessageContaining("No conversation");
  }
}
