package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.DeviceInfo;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.kt.KtAlert;
import org.quicproquo.client.kt.KtMonitor;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.core.keystore.Argon2Params;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/**
 * Several devices of one account through a real server over loopback QUIC, each with its own
 * state directory and SQLite database: linking with a one-time code, fan-out to every device,
 * revocation, and the ways a code can be wrong. The server runs on a clock the test moves (code
 * expiry).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiDeviceIntegrationTest {
  /** Cheap Argon2id so the tests spend their time on the protocol (both ends must agree). */
  private static final Argon2Params TEST_KDF = new Argon2Params(1024, 1, 1);

  @TempDir Path root;
  private QpqServer server;
  private TestClock serverClock;
  private final List<Messenger> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    serverClock = new TestClock(Instant.now());
    server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), serverClock);
  }

  @AfterEach
  void stop() {
    open.forEach(Messenger::close);
    server.close();
  }

  private Messenger device(String dir, Recorder rec) {
    ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
        root.resolve(dir), RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    Messenger m = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
        .withPollInterval(Duration.ofMillis(300)), rec);
    m.linkSettings(TEST_KDF, Duration.ofMinutes(10));
    open.add(m);
    return m;
  }

  private Messenger registered(String name, Recorder rec) {
    Messenger m = device(name, rec);
    m.register(name);
    return m;
  }

  /** Links a new device (state directory {@code dir}) to {@code existing}'s account. */
  private Messenger link(Messenger existing, String dir, Recorder rec) throws Exception {
    DeviceLink link = existing.linkDevice();
    assertThat(link.code().display()).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");
    Messenger fresh = device(dir, rec);
    fresh.linkToAccount(existing.userName(), link.code().display().toLowerCase());
    long id = link.joined().get(60, TimeUnit.SECONDS);
    assertThat(id).isEqualTo(fresh.deviceId());
    return fresh;
  }

  private static void eventually(BooleanSupplier condition, Messenger... syncing)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 30 s");
      }
      for (Messenger m : syncing) {
        m.sync();
      }
      Thread.sleep(50);
    }
  }

  /** Waits until {@code r} heard {@code body} as the account's own message (another device's). */
  private static void awaitOwn(Recorder r, String body) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (r.messages.stream().noneMatch(m -> m.outgoing() && m.body().equals(body))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never got own message " + body + "; errors " + r.errors);
      }
      Thread.sleep(20);
    }
  }

  private static long aliceLeaves(Messenger m, Conversation c) {
    return m.details(m.find(c.shortId())).members().stream()
        .filter(d -> d.user().equals("alice")).count();
  }

  @Test
  void threeDevicesInTwoGroupsAllReceiveAndSeeEachOthersSends() throws Exception {
    Recorder a1 = new Recorder();
    Recorder a2 = new Recorder();
    Recorder a3 = new Recorder();
    Recorder b = new Recorder();
    Recorder c = new Recorder();
    Messenger alice = registered("alice", a1);
    Messenger bob = registered("bob", b);
    Messenger carol = registered("carol", c);
    Conversation team = alice.invite(alice.createGroup("team"), "bob");
    Conversation dm = alice.openDm("carol");
    Messenger phone = link(alice, "alice-phone", a2);
    Messenger laptop = link(alice, "alice-laptop", a3);

    assertThat(alice.devices()).hasSize(3).extracting(DeviceInfo::revoked)
        .containsOnly(false);
    assertThat(alice.devices()).filteredOn(DeviceInfo::current).extracting(DeviceInfo::deviceId)
        .containsExactly(alice.deviceId());
    assertThat(aliceLeaves(alice, team)).isEqualTo(3);
    assertThat(aliceLeaves(alice, dm)).isEqualTo(3);

    // Messages to alice reach all three devices, in both conversations.
    bob.sync();
    bob.sendText(bob.find("#team"), "hello team");
    carol.sync();
    carol.sendText(carol.find("@alice"), "hi alice");
    for (Recorder r : new Recorder[] {a1, a2, a3}) {
      r.await(t -> t.contains("hello team") && t.contains("hi alice"));
    }
    // history says what happened: a device of alice, not alice again
    assertThat(b.messages).extracting(StoredMessage::body)
        .contains("alice added a device of alice.");
    assertThat(a1.messages).extracting(StoredMessage::body)
        .contains("You added a device of alice.").doesNotContain("You added alice.");
    // What one device sends reaches the other members and alice's other devices, where it shows
    // as alice's own (outgoing) message.
    StoredMessage fromPhone = phone.sendText(phone.find("#team"), "from the phone");
    laptop.sendText(laptop.find("@carol"), "from the laptop");
    b.await(t -> t.contains("from the phone"));
    c.await(t -> t.contains("from the laptop"));
    awaitOwn(a1, "from the phone");
    awaitOwn(a1, "from the laptop");
    awaitOwn(a3, "from the phone");
    awaitOwn(a2, "from the laptop");
    assertThat(a2.messages).filteredOn(m -> m.body().equals("from the laptop"))
        .extracting(StoredMessage::sender, StoredMessage::outgoing)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("alice", true));
    // so any of alice's devices may edit it, for everyone
    laptop.edit(laptop.find("#team"), fromPhone.messageId(), "edited on the laptop");
    eventually(() -> bob.history(bob.find("#team"), 50).stream()
        .anyMatch(m -> m.body().equals("edited on the laptop") && m.edited()), bob);
    eventually(() -> phone.history(phone.find("#team"), 50).stream()
        .anyMatch(m -> m.body().equals("edited on the laptop")), phone);
    // All six views of each group agree on the epoch (syncing until they do).
    eventually(() -> java.util.stream.Stream.of(alice, phone, laptop).allMatch(m ->
        java.util.Arrays.equals(m.epochAuthenticator(m.find("#team")),
            bob.epochAuthenticator(bob.find("#team")))), alice, phone, laptop, bob, carol);
    byte[] teamAuth = bob.epochAuthenticator(bob.find("#team"));
    for (Messenger m : new Messenger[] {alice, phone, laptop}) {
      assertThat(m.epochAuthenticator(m.find("#team"))).isEqualTo(teamAuth);
    }
    assertThat(phone.epochAuthenticator(phone.find("@carol")))
        .isEqualTo(carol.epochAuthenticator(carol.find("@alice")));
    // A group made on one device later includes the other devices too.
    Conversation later = phone.createGroup("later");
    assertThat(phone.details(later).members()).hasSize(3);
    eventually(() -> a1.messages.stream().anyMatch(m -> m.body().contains("later")), alice);
    for (Recorder r : new Recorder[] {a1, a2, a3, b, c}) {
      assertThat(r.errors).isEmpty();
    }
  }

  @Test
  void aDeviceLinkedLaterSeesNewMessagesButNotOlderOnes() throws Exception {
    Recorder a1 = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a1);
    Messenger bob = registered("bob", b);
    Conversation dm = alice.openDm("bob");
    alice.sendText(dm, "old from alice");
    b.await(t -> t.contains("old from alice"));
    bob.sendText(bob.find("@alice"), "old from bob");
    a1.await(t -> t.contains("old from bob"));

    Recorder a2 = new Recorder();
    Messenger tablet = link(alice, "alice-tablet", a2);
    // "New" means after bob has processed the commit that added the tablet: a message bob
    // encrypts before that is in the previous epoch, which the tablet never had (RFC 9420).
    eventually(() -> java.util.Arrays.equals(alice.epochAuthenticator(dm),
        bob.epochAuthenticator(bob.find("@alice"))), bob, alice);
    bob.sendText(bob.find("@alice"), "new from bob");
    a2.await(t -> t.contains("new from bob"));
    Conversation onTablet = tablet.find("@bob");
    List<String> history = tablet.history(onTablet, 100).stream()
        .map(StoredMessage::body).toList();
    assertThat(history).contains("new from bob").doesNotContain("old from alice", "old from bob");
    assertThat(a2.texts()).doesNotContain("old from alice", "old from bob");
    // the old device keeps everything (its copy of the new message comes on its own push)
    a1.await(t -> t.contains("new from bob"));
    assertThat(alice.history(dm, 100).stream().map(StoredMessage::body).toList())
        .contains("old from alice", "old from bob", "new from bob");
  }

  @Test
  void aRevokedDeviceIsOutOfEveryGroupAndRefusedByTheServer() throws Exception {
    Recorder a1 = new Recorder();
    Recorder a2 = new Recorder();
    Recorder a3 = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = registered("alice", a1);
    Messenger bob = registered("bob", b);
    Conversation team = alice.invite(alice.createGroup("team"), "bob");
    Conversation dm = alice.openDm("bob");
    Messenger phone = link(alice, "alice-phone", a2);
    Messenger stolen = link(alice, "alice-stolen", a3);
    long stolenId = stolen.deviceId();

    alice.revokeDevice(stolenId);

    assertThat(alice.devices()).filteredOn(DeviceInfo::revoked).extracting(DeviceInfo::deviceId)
        .containsExactly(stolenId);
    for (Conversation c : List.of(team, dm)) {
      assertThat(alice.details(alice.find(c.shortId())).members())
          .extracting(Messenger.MemberDevice::deviceId).doesNotContain(stolenId)
          .contains(alice.deviceId(), phone.deviceId());
      assertThat(aliceLeaves(alice, c)).isEqualTo(2);
    }
    eventually(() -> aliceLeaves(bob, team) == 2 && aliceLeaves(bob, dm) == 2, bob);
    assertThat(a1.messages).extracting(StoredMessage::body)
        .contains("You removed a device of alice.");
    assertThat(b.messages).extracting(StoredMessage::body)
        .contains("alice removed a device of alice.");
    eventually(() -> aliceLeaves(phone, team) == 2 && aliceLeaves(phone, dm) == 2, phone);

    // The server refuses the revoked device: its connection is closed, it cannot fetch or log in.
    assertThatThrownBy(stolen::sync).isInstanceOf(MessengerException.class)
        .hasMessageContaining("DEVICE_REVOKED");
    stolen.close();
    open.remove(stolen);
    Recorder again = new Recorder();
    Messenger reopened = device("alice-stolen", again);
    assertThat(reopened.isRegistered()).isTrue();
    assertThatThrownBy(reopened::connect).hasMessageContaining("DEVICE_REVOKED");

    // Conversation goes on without it.
    bob.sendText(bob.find("#team"), "after revocation");
    a1.await(t -> t.contains("after revocation"));
    a2.await(t -> t.contains("after revocation"));
    assertThat(a3.texts()).doesNotContain("after revocation");
    assertThat(again.texts()).doesNotContain("after revocation");
    assertThat(bob.epochAuthenticator(bob.find("#team")))
        .isEqualTo(alice.epochAuthenticator(alice.find("#team")));
    assertThat(a1.errors).as("alice").isEmpty();
    assertThat(a2.errors).as("phone").isEmpty();
    assertThat(b.errors).as("bob").isEmpty();
  }

  @Test
  void wrongMalformedAndOtherAccountsCodesFailCleanly() throws Exception {
    Messenger alice = registered("alice", new Recorder());
    registered("bob", new Recorder());
    DeviceLink link = alice.linkDevice();
    Messenger x = device("x", new Recorder());

    LinkCode wrong = wrongCode(link.code());
    assertLinkFails(() -> x.linkToAccount("alice", wrong.value()),
        DeviceLinkException.Reason.WRONG_CODE);
    assertLinkFails(() -> x.linkToAccount("alice", "hello"),
        DeviceLinkException.Reason.MALFORMED_CODE);
    assertLinkFails(() -> x.linkToAccount("bob", link.code().value()),
        DeviceLinkException.Reason.WRONG_USER);
    assertThat(x.isRegistered()).isFalse();
    assertThat(root.resolve("x").resolve("keys")).doesNotExist();
    assertThat(alice.devices()).hasSize(1);
    // the right code still works afterwards (reading the offer did not use it up)
    Messenger y = device("y", new Recorder());
    y.linkToAccount("alice", link.code().display());
    assertThat(link.joined().get(60, TimeUnit.SECONDS)).isEqualTo(y.deviceId());
  }

  @Test
  void aCodeUsedOnceFailsTheSecondTime() throws Exception {
    Messenger alice = registered("alice", new Recorder());
    DeviceLink link = alice.linkDevice();
    Messenger first = device("first", new Recorder());
    first.linkToAccount("alice", link.code().value());
    link.joined().get(60, TimeUnit.SECONDS);
    Messenger second = device("second", new Recorder());
    assertLinkFails(() -> second.linkToAccount("alice", link.code().value()),
        DeviceLinkException.Reason.USED_CODE);
    assertThat(second.isRegistered()).isFalse();
    assertThat(alice.devices()).hasSize(2);
  }

  @Test
  void anExpiredCodeFailsOnBothSides() throws Exception {
    Messenger alice = registered("alice", new Recorder());
    DeviceLink link = alice.linkDevice();
    serverClock.advance(Duration.ofMinutes(11));
    Messenger late = device("late", new Recorder());
    assertLinkFails(() -> late.linkToAccount("alice", link.code().value()),
        DeviceLinkException.Reason.EXPIRED_CODE);
    assertThat(late.isRegistered()).isFalse();
    assertThatThrownBy(() -> link.joined().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(DeviceLinkException.class,
            e -> assertThat(e.reason()).isEqualTo(DeviceLinkException.Reason.EXPIRED_CODE));
    assertThat(alice.devices()).hasSize(1);
  }

  @Test
  void theMonitorOfTheLinkingDeviceStaysQuietButAlertsForADeviceLinkedElsewhere()
      throws Exception {
    Messenger alice = registered("alice", new Recorder());
    try (KtMonitor monitor = alice.startKtMonitor(Duration.ofHours(1))) {
      // The monitor's own first round runs in the background at once; were it late, it would
      // take the tablet's one-time alert below.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (monitor.rounds() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(monitor.rounds()).isPositive();
      assertThat(monitor.checkNow()).isEmpty(); // the devices alice has now
      Messenger phone = link(alice, "alice-phone", new Recorder());
      assertThat(monitor.checkNow()).extracting(KtAlert::kind)
          .doesNotContain(KtAlert.Kind.NEW_OWN_DEVICE); // alice linked it herself
      Messenger tablet = link(phone, "alice-tablet", new Recorder());
      List<KtAlert> found = monitor.checkNow();
      assertThat(found).extracting(KtAlert::kind).containsExactly(KtAlert.Kind.NEW_OWN_DEVICE);
      assertThat(found.get(0).describe())
          .contains("new device " + Long.toUnsignedString(tablet.deviceId()));
    }
  }

  @Test
  void aSixthDeviceIsRefusedOnBothSidesAndNothingIsAdded() throws Exception {
    Messenger alice = registered("alice", new Recorder());
    for (int i = 2; i <= 5; i++) {
      link(alice, "alice-" + i, new Recorder());
    }
    assertThat(alice.devices()).hasSize(5);
    DeviceLink link = alice.linkDevice();
    Messenger sixth = device("alice-6", new Recorder());
    assertLinkFails(() -> sixth.linkToAccount("alice", link.code().value()),
        DeviceLinkException.Reason.TOO_MANY_DEVICES);
    assertThatThrownBy(() -> link.joined().get(30, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(DeviceLinkException.class,
            e -> assertThat(e.reason()).isEqualTo(DeviceLinkException.Reason.TOO_MANY_DEVICES));
    assertThat(sixth.isRegistered()).isFalse();
    assertThat(alice.devices()).hasSize(5);
  }

  @Test
  void revokingSomethingThatIsNotYoursIsRefused() throws Exception {
    Messenger alice = registered("alice", new Recorder());
    Messenger bob = registered("bob", new Recorder());
    assertThatThrownBy(() -> alice.revokeDevice(bob.deviceId()))
        .hasMessage("You have no device " + bob.deviceId() + "; /devices lists them.");
    assertThatThrownBy(() -> alice.revokeDevice(alice.deviceId()))
        .hasMessageContaining("this device");
    assertThat(bob.devices()).extracting(DeviceInfo::revoked).containsExactly(false);
  }

  private static LinkCode wrongCode(LinkCode right) {
    char c = right.value().charAt(0) == 'A' ? 'B' : 'A';
    return new LinkCode(c + right.value().substring(1));
  }

  private static void assertLinkFails(Runnable r, DeviceLinkException.Reason reason) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(DeviceLinkException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }
}
