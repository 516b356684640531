package org.quicproquo.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qpq demo}: an embedded server and three clients (alice, bob, carol) in one process, on
 * loopback QUIC, each with its own state directory. A DM, a group with an offline member, a look
 * at what the server actually stores, and matching MLS epoch authenticators.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"Show qpq end to end in about ten seconds: an embedded server and three "
        + "clients on loopback.",
        "alice, bob and carol exchange a DM and group messages (carol offline at first); the demo "
        + "then shows what the server stored (ciphertext only) and the transcript. Exits 0 when "
        + "every message arrived."})
final class DemoCommand implements Callable<Integer> {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @Spec CommandSpec spec;

  /** Prints each user's incoming lines and keeps them so the demo can wait for deliveries. */
  private static final class Screen implements MessengerListener {
    final String user;
    final PrintWriter out;
    final List<String> received = new CopyOnWriteArrayList<>();

    Screen(String user, PrintWriter out) {
      this.user = user;
      this.out = out;
    }

    @Override
    public void onMessage(Conversation c, StoredMessage m) {
      if (m.outgoing()) {
        return;
      }
      String line = m.kind() == StoredMessage.Kind.SYSTEM ? "* " + m.body()
          : m.sender() + ": " + m.body();
      synchronized (out) {
        out.printf("  [%-5s sees] %-8s %s%n", user, c.label(), line);
        out.flush();
      }
      received.add(m.body());
    }

    @Override
    public void onError(String message) {
      synchronized (out) {
        out.printf("  [%-5s] error: %s%n", user, message);
        out.flush();
      }
    }

    void await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!received.contains(text)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(user + " did not receive \"" + text + "\" within "
              + WAIT.toSeconds() + " s");
        }
        Thread.sleep(10);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("qpq-demo-");
    long t0 = System.nanoTime();
    ServerConfig config = new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), work.resolve("server"),
        RpcLimits.defaults());
    List<Messenger> open = new ArrayList<>();
    try (QpqServer server = QpqServer.start(config, new SecureRandom(), Clock.systemUTC())) {
      out.printf("[server] listening on %s (QUIC), data in %s%n", server.address(),
          server.dataDir());
      out.printf("[server] self-signed certificate sha256 %s%n", server.fingerprint().hex());
      HostPort addr = new HostPort("127.0.0.1", server.address().getPort());
      Screen aliceScreen = new Screen("alice", out);
      Screen bobScreen = new Screen("bob", out);
      Screen carolScreen = new Screen("carol", out);
      Messenger alice = start(addr, work, "alice", aliceScreen, open);
      Messenger bob = start(addr, work, "bob", bobScreen, open);
      Messenger carol = start(addr, work, "carol", carolScreen, open);
      out.println("[clients] alice, bob and carol registered: identity + device keys, "
          + "device certificates, KeyPackages uploaded");

      out.println("\n== A DM (a two-member MLS group)");
      Conversation dm = alice.openDm("bob");
      say(out, "alice", dm, "hi bob, this is end-to-end encrypted");
      alice.sendText(dm, "hi bob, this is end-to-end encrypted");
      bobScreen.await("hi bob, this is end-to-end encrypted");
      Conversation bobDm = bob.find("@alice");
      say(out, "bob", bobDm, "hi alice!");
      bob.sendText(bobDm, "hi alice!");
      aliceScreen.await("hi alice!");

      out.println("\n== A group; carol is offline while it starts");
      carol.close();
      open.remove(carol);
      Conversation group = alice.createGroup("friends");
      group = alice.invite(group, "bob");
      group = alice.invite(group, "carol");
      String secret = "the meeting is at 7, bring the blue folder";
      say(out, "alice", group, secret);
      alice.sendText(group, secret);
      bobScreen.await(secret);
      Conversation bobGroup = bob.find("#friends");
      say(out, "bob", bobGroup, "see you there");
      bob.sendText(bobGroup, "see you there");
      aliceScreen.await("see you there");

      out.println("\n== What the server stores for carol (offline)");
      boolean leaked = inspectQueue(out, server.dataDir().resolve("qpq.db"), secret);

      out.println("\n== carol comes back online");
      carolScreen = new Screen("carol", out);
      carol = start(addr, work, "carol", carolScreen, open);
      carolScreen.await(secret);
      carolScreen.await("see you there");
      Conversation carolGroup = carol.find("#friends");
      say(out, "carol", carolGroup, "sorry, was offline - I'll be there");
      carol.sendText(carolGroup, "sorry, was offline - I'll be there");
      aliceScreen.await("sorry, was offline - I'll be there");
      bobScreen.await("sorry, was offline - I'll be there");

      out.println("\n== Every member derived the same MLS epoch authenticator");
      byte[] a = alice.epochAuthenticator(alice.find("#friends"));
      byte[] b = bob.epochAuthenticator(bob.find("#friends"));
      byte[] c = carol.epochAuthenticator(carolGroup);
      HexFormat hex = HexFormat.of();
      out.printf("  alice %s%n  bob   %s%n  carol %s%n", hex.formatHex(a), hex.formatHex(b),
          hex.formatHex(c));
      boolean agree = Arrays.equals(a, b) && Arrays.equals(b, c);
      out.printf("%n== Transcript of #friends as alice stored it%n");
      for (StoredMessage m : alice.history(alice.find("#friends"), 50)) {
        out.printf("  %s%n", m.kind() == StoredMessage.Kind.SYSTEM ? "* " + m.body()
            : (m.outgoing() ? "alice" : m.sender()) + ": " + m.body());
      }
      open.forEach(Messenger::close);
      open.clear();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (leaked || !agree) {
        out.printf("%ndemo FAILED in %d ms (%s)%n", ms,
            leaked ? "plaintext found on the server" : "epoch authenticators differ");
        return 1;
      }
      out.printf("%ndemo finished in %d ms: every message delivered, the server held only "
          + "ciphertext, all members agree on the group state%n", ms);
      return 0;
    } finally {
      open.forEach(Messenger::close);
      deleteTree(work);
    }
  }

  private static Messenger start(HostPort addr, Path work, String user, MessengerListener l,
      List<Messenger> open) {
    Messenger m = Messenger.open(MessengerConfig.of(addr, work.resolve(user))
        .withPollInterval(Duration.ofSeconds(1)), l);
    open.add(m);
    if (m.isRegistered()) {
      m.connect();
    } else {
      m.register(user);
    }
    return m;
  }

  private static void say(PrintWriter out, String user, Conversation c, String text) {
    synchronized (out) {
      out.printf("  [%-5s sends] %-8s %s%n", user, c.label(), text);
      out.flush();
    }
  }

  /**
   * Reads the server's SQLite queue directly, as an operator (or an attacker with the disk) could,
   * and reports whether {@code plaintext} appears anywhere in it.
   */
  private static boolean inspectQueue(PrintWriter out, Path db, String plaintext)
      throws Exception {
    byte[] needle = plaintext.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
        PreparedStatement ps = c.prepareStatement("SELECT u.name, q.seq, q.payload FROM queue q "
            + "JOIN devices d ON d.id = q.device_id JOIN users u ON u.id = d.user_id "
            + "ORDER BY u.name, q.seq");
        ResultSet r = ps.executeQuery()) {
      while (r.next()) {
        byte[] payload = r.getBytes(3);
        boolean contains = indexOf(payload, needle) >= 0;
        found |= contains;
        out.printf("  queue of %-5s seq %d: %5d bytes, MLS wire format %d, starts %s...%s%n",
            r.getString(1), r.getLong(2), payload.length,
            payload.length >= 4 ? ((payload[2] & 0xff) << 8 | (payload[3] & 0xff)) : -1,
            HexFormat.of().formatHex(payload, 0, Math.min(16, payload.length)),
            contains ? "  PLAINTEXT FOUND" : "");
      }
    }
    out.printf("  searched every queued payload for \"%s\": %s%n", plaintext,
        found ? "FOUND (this is a bug)" : "not present - the server only holds ciphertext");
    return found;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
