package org.quicproquo.client.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.ServerConfig;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.store.StoreLimits;

/**
 * A real server over loopback QUIC whose key-transparency log turns hostile: it forks history,
 * rolls it back, rewrites an entry, or resolves a key the log never recorded. Each time the
 * client notices, raises the specific alert and refuses the key.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KtTamperingIntegrationTest {
  @TempDir Path root;
  private QpqServer server;
  private HostileLog hostile;
  private final List<Messenger> open = new ArrayList<>();

  /** Records alerts (typed) and other errors. */
  static final class Alerts implements MessengerListener {
    final List<KtAlert> alerts = new CopyOnWriteArrayList<>();

    @Override
    public void onKeyTransparencyAlert(KtAlert alert) {
      alerts.add(alert);
    }

    List<KtAlert.Kind> kinds() {
      return alerts.stream().map(KtAlert::kind).toList();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC(), StoreLimits.defaults(),
        RateLimits.defaults(), BlobLimits.defaults(),
        org.quicproquo.rpc.FrameListener.NONE, real -> hostile = new HostileLog(real));
    hostile.arm(server.store().keyLog(), server.dataDir());
  }

  @AfterEach
  void stop() {
    open.forEach(Messenger::close);
    server.close();
  }

  private Messenger opened(String name, MessengerListener listener) {
    ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
        root.resolve(name), RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
    Messenger m = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
        .withPollInterval(Duration.ofMillis(500)), listener);
    open.add(m);
    return m;
  }

  private Messenger registered(String name, MessengerListener listener) {
    Messenger m = opened(name, listener);
    m.register(name);
    return m;
  }

  private byte[] logKeyOf(String name) {
    return server.keyTransparency().latestIdentity(name).orElseThrow().entry().key();
  }

  private static KtAlert.Kind kindOf(Throwable t) {
    return ((KtVerificationException) t).alert().kind();
  }

  @Test
  void everyKindOfTamperingIsDetected() throws Exception {
    Alerts seen = new Alerts();
    Messenger alice = registered("alice", seen);
    for (String other : new String[] {"bob", "carol", "dave", "erin", "mallory"}) {
      registered(other, new Alerts());
    }
    byte[] mallorysKey = logKeyOf("mallory");

    // Honest server: resolving bob is proven, pinned, and the tree head is stored.
    alice.safetyNumber("bob");
    assertThat(seen.alerts).isEmpty();
    KeyTransparencyClient kt = alice.keyTransparency();
    long honestSize = kt.refreshTreeHead().treeSize();
    assertThat(honestSize).isEqualTo(12); // six accounts: REGISTER + DEVICE_ADDED each

    // 1. Fork: the same tree size, carol's registration rewritten to mallory's key, validly
    // signed. A client that saw the honest head refuses it.
    hostile.turn(HostileLog.Mode.FORK, "carol", mallorysKey);
    assertThatThrownBy(() -> alice.safetyNumber("carol"))
        .isInstanceOfSatisfying(KtVerificationException.class,
            e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.FORKED_LOG))
        .hasMessageContaining("KEY TRANSPARENCY ALERT");
    assertThat(seen.kinds()).containsExactly(KtAlert.Kind.FORKED_LOG);
    assertThat(alice.contacts()).extracting(Map.Entry::getKey).doesNotContain("carol");

    // 2. Rollback: a head smaller than one already seen.
    hostile.turn(HostileLog.Mode.ROLLBACK, null, null);
    assertThatThrownBy(kt::refreshTreeHead).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.ROLLBACK));

    // 3. A rewritten entry served with the real proof: the proof does not lead to the head.
    hostile.turn(HostileLog.Mode.REWRITE, "dave", mallorysKey);
    assertThatThrownBy(() -> alice.safetyNumber("dave")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.INCLUSION_FAILED));
    // ... and the audit of dave's history fails the same way.
    assertThatThrownBy(() -> kt.audit("dave")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.INCLUSION_FAILED));

    // 4. A key change not in the log: the server resolves erin to mallory's key, which its log
    // never bound to erin.
    hostile.turn(HostileLog.Mode.HONEST, null, null);
    swapIdentityKeyBehindTheLog("erin", mallorysKey);
    assertThatThrownBy(() -> alice.safetyNumber("erin")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.KEY_NOT_IN_LOG));

    assertThat(seen.kinds()).containsExactly(KtAlert.Kind.FORKED_LOG, KtAlert.Kind.ROLLBACK,
        KtAlert.Kind.INCLUSION_FAILED, KtAlert.Kind.INCLUSION_FAILED,
        KtAlert.Kind.KEY_NOT_IN_LOG);
    assertThat(seen.alerts).allSatisfy(a -> assertThat(a.describe())
        .startsWith("KEY TRANSPARENCY ALERT [" + a.kind() + "]"));

    // Honest again: nothing the hostile server showed was accepted, so alice's view still
    // extends the honest log and resolving works.
    assertThat(kt.latestTreeHead().orElseThrow().treeSize()).isEqualTo(honestSize);
    alice.safetyNumber("carol");
    alice.safetyNumber("dave");
    assertThat(seen.alerts).hasSize(5);
  }

  @Test
  void theMonitorAlertsOnAContactsKeyChangeAndMarksThemUnverified() throws Exception {
    Alerts seen = new Alerts();
    Messenger alice = registered("alice", seen);
    registered("bob", new Alerts());
    registered("mallory", new Alerts());
    alice.safetyNumber("bob");
    alice.markVerified("bob");
    assertThat(alice.contacts()).contains(Map.entry("bob", true));

    try (KtMonitor monitor = alice.startKtMonitor(Duration.ofHours(1))) {
      // its first round runs at once in the background; let it finish before changing anything
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (monitor.rounds() == 0 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(monitor.rounds()).isPositive();
      assertThat(monitor.checkNow()).isEmpty();
      // The server replaces bob's key, and this time logs it (as it must to get past resolve).
      byte[] mallorysKey = logKeyOf("mallory");
      server.store().atomically(() -> {
        server.keyTransparency().appendKeyChange("bob", mallorysKey);
        return null;
      });
      List<KtAlert> found = monitor.checkNow();
      assertThat(found).extracting(KtAlert::kind)
          .containsExactly(KtAlert.Kind.UNEXPECTED_KEY_CHANGE);
      assertThat(found.get(0).user()).isEqualTo("bob");
      assertThat(found.get(0).describe()).contains("TOFU VIOLATION");
      assertThat(seen.kinds()).containsExactly(KtAlert.Kind.UNEXPECTED_KEY_CHANGE);
      assertThat(alice.contacts()).contains(Map.entry("bob", false));
      // Reported once, not every round.
      assertThat(monitor.checkNow()).isEmpty();
      // The audit shows the same: bob's history is valid, but not the key alice pinned.
      assertThatThrownBy(() -> alice.keyTransparency().audit("bob")).satisfies(
          e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.UNEXPECTED_KEY_CHANGE));
      KeyTransparencyClient.Audit own = alice.keyTransparency().audit("alice");
      assertThat(own.entries()).extracting(e -> e.kind())
          .containsExactly(EntryKind.REGISTER, EntryKind.DEVICE_ADDED);
    }
  }

  @Test
  void treeHeadsAndTheLogKeyStayPinnedAcrossClientRestarts() throws Exception {
    Messenger alice = registered("alice", new Alerts());
    registered("bob", new Alerts());
    registered("carol", new Alerts());
    registered("mallory", new Alerts());
    byte[] mallorysKey = logKeyOf("mallory");
    alice.safetyNumber("bob"); // pins the log key and stores the honest tree head
    alice.close();

    // A fork shown only after the restart is still caught: the head was stored.
    hostile.turn(HostileLog.Mode.FORK, "carol", mallorysKey);
    Alerts afterRestart = new Alerts();
    Messenger again = opened("alice", afterRestart);
    again.connect();
    assertThatThrownBy(() -> again.safetyNumber("carol")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.FORKED_LOG));
    assertThat(afterRestart.kinds()).containsExactly(KtAlert.Kind.FORKED_LOG);
    again.close();

    // A server that signs with a new log key (and publishes it) is refused: the key was pinned.
    hostile.turn(HostileLog.Mode.NEW_KEY, null, null);
    Alerts newKey = new Alerts();
    Messenger third = opened("alice", newKey);
    third.connect();
    assertThatThrownBy(() -> third.safetyNumber("carol")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.LOG_KEY_CHANGED));
    assertThat(newKey.kinds()).containsExactly(KtAlert.Kind.LOG_KEY_CHANGED);

    // Honest again: the same client resumes from its stored head.
    hostile.turn(HostileLog.Mode.HONEST, null, null);
    Messenger fourth = reopen(third, "alice");
    fourth.safetyNumber("carol");
  }

  private Messenger reopen(Messenger old, String name) {
    old.close();
    Messenger m = opened(name, new Alerts());
    m.connect();
    return m;
  }

  @Test
  void devicesChangedBehindTheLogAreCaughtByTheAudit() throws Exception {
    Alerts seen = new Alerts();
    Messenger alice = registered("alice", seen);
    registered("bob", new Alerts());
    KeyTransparencyClient kt = alice.keyTransparency();
    assertThat(kt.audit("bob").state().devices()).hasSize(1);
    assertThat(seen.alerts).isEmpty();

    // The operator adds a device to bob in the database without logging it.
    var bob = org.quicproquo.server.store.UserName.of("bob");
    var hidden = server.store().accounts().addDevice(bob,
        new org.quicproquo.server.store.NewDevice(new byte[32], new byte[64]));
    assertThatThrownBy(() -> kt.audit("bob"))
        .isInstanceOfSatisfying(KtVerificationException.class,
            e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.DEVICE_NOT_IN_LOG))
        .hasMessageContaining("device " + hidden.id().value());

    // ... or hides bob's real device (the log still shows it active).
    server.store().accounts().revokeDevice(hidden.id());
    long real = server.store().accounts().activeDevices(bob).get(0).id().value();
    server.store().accounts().revokeDevice(new org.quicproquo.server.store.DeviceId(real));
    assertThatThrownBy(() -> kt.audit("bob")).satisfies(
        e -> assertThat(kindOf(e)).isEqualTo(KtAlert.Kind.DEVICE_NOT_IN_LOG));
    assertThat(seen.kinds()).containsExactly(KtAlert.Kind.DEVICE_NOT_IN_LOG,
        KtAlert.Kind.DEVICE_NOT_IN_LOG);
  }

  @Test
  void theMonitorAlertsOnceWhenADeviceIsAddedToOnesOwnAccount() throws Exception {
    Alerts seen = new Alerts();
    Messenger alice = registered("alice", seen);
    try (KtMonitor monitor = alice.startKtMonitor(Duration.ofHours(1))) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (monitor.rounds() == 0 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(monitor.checkNow()).isEmpty(); // the devices at the first round are alice's own
      // An operator adds a device to alice and logs it, so every audit passes: only alice can
      // tell that she did not link it.
      var name = org.quicproquo.server.store.UserName.of("alice");
      var added = server.store().atomically(() -> {
        var d = server.store().accounts().addDevice(name,
            new org.quicproquo.server.store.NewDevice(new byte[32], new byte[64]));
        server.keyTransparency().appendDeviceAdded("alice", d.id().value(), new byte[32]);
        return d;
      });
      String id = Long.toUnsignedString(added.id().value());
      List<KtAlert> found = monitor.checkNow();
      assertThat(found).extracting(KtAlert::kind).containsExactly(KtAlert.Kind.NEW_OWN_DEVICE);
      assertThat(found.get(0).user()).isEqualTo("alice");
      assertThat(found.get(0).describe()).contains("new device " + id, "/device revoke " + id);
      assertThat(seen.kinds()).containsExactly(KtAlert.Kind.NEW_OWN_DEVICE);
      assertThat(monitor.checkNow()).isEmpty(); // once, not every round
    }
  }

  /** What a hostile operator does to the database: change a user's key without logging it. */
  private void swapIdentityKeyBehindTheLog(String name, byte[] key) throws Exception {
    try (Connection c = DriverManager.getConnection(
        "jdbc:sqlite:" + server.dataDir().resolve("qpq.db"))) {
      c.createStatement().execute("PRAGMA busy_timeout = 5000");
      try (PreparedStatement p =
          c.prepareStatement("UPDATE users SET identity_key = ? WHERE name = ?")) {
        p.setBytes(1, key);
        p.setString(2, name);
        assertThat(p.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
