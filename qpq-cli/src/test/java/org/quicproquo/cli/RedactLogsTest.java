package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.StoreLimits;

/**
 * {@code qpq server --redact-logs} (issue 7): a real server process logging at TRACE (its own code,
 * the RPC layer and Netty) to a file serves a full scenario (three users, a DM, a group, messages
 * of several lengths, a kick, a failed lookup); then the whole log is searched for every user name,
 * device id, client address and port, and message id the scenario used. With redaction none may
 * occur; the same scenario without redaction must show them, which proves the search can fail.
 *
 * <p>Device ids are made unambiguous: before the server starts, the devices table's AUTOINCREMENT
 * counter is moved to {@link #DEVICE_ID_BASE}, so the scenario's device ids are 10-digit numbers
 * that cannot be mistaken for a count or a timestamp. Client ports are the local UDP ports of this
 * JVM's sockets (read from /proc while the clients are connected); the server binds 0.0.0.0 so the
 * only 127.0.0.1 endpoints it can see are clients. Message ids are every id the three clients
 * marked processed (each message was received by someone), searched as hex (both cases) and
 * base64 (standard and URL-safe, unpadded).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RedactLogsTest {
  static final long DEVICE_ID_BASE = 7_301_000_000L;

  @TempDir Path root;

  /** What one run of the scenario used, and the server log it produced. */
  record Run(String log, List<String> users, List<Long> devices, Set<Integer> clientPorts,
      List<byte[]> messageIds) {}

  @Test
  void redactedLogShowsNoNameIdAddressOrMessageId() throws Exception {
    Run run = scenario(root.resolve("redacted"), true);
    assertThat(run.log()).contains("TRACE").contains("log redaction on")
        .contains("registered user user-").contains("queued message msg-");
    assertThat(leaks(run)).isEmpty();
  }

  @Test
  void plainLogShowsThemSoTheSearchCanFail() throws Exception {
    Run run = scenario(root.resolve("plain"), false);
    assertThat(run.log()).contains("log redaction off");
    List<String> leaks = leaks(run);
    for (String user : run.users()) {
      assertThat(leaks).contains("user " + user);
    }
    for (long device : run.devices()) {
      assertThat(leaks).contains("device " + device);
    }
    assertThat(leaks).anyMatch(l -> l.startsWith("client port "));
    assertThat(leaks).anyMatch(l -> l.startsWith("message id "));
  }

  /** Every identifying value of the run that occurs in its log, described. */
  private static List<String> leaks(Run run) {
    List<String> found = new ArrayList<>();
    String log = run.log();
    for (String user : run.users()) {
      if (log.contains(user)) {
        found.add("user " + user);
      }
    }
    for (long device : run.devices()) {
      if (log.contains(Long.toString(device)) || log.contains(Long.toHexString(device))) {
        found.add("device " + device);
      }
    }
    if (log.contains("127.0.0.1:") || log.contains("127.0.0.1]:")) {
      found.add("client address 127.0.0.1:PORT");
    }
    for (int port : run.clientPorts()) {
      if (Pattern.compile("[:/]" + port + "(?![0-9])").matcher(log).find()) {
        found.add("client port " + port);
      }
    }
    for (byte[] id : run.messageIds()) {
      String hex = HexFormat.of().formatHex(id);
      String b64 = Base64.getEncoder().withoutPadding().encodeToString(id);
      String b64url = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
      if (log.contains(hex) || log.contains(hex.toUpperCase()) || log.contains(b64)
          || log.contains(b64url)) {
        found.add("message id " + hex);
      }
    }
    return found;
  }

  private Run scenario(Path dir, boolean redact) throws Exception {
    Path data = dir.resolve("server");
    Files.createDirectories(data);
    // Migrate the database, then start device ids at DEVICE_ID_BASE + 1.
    Store.openSqlite(data.resolve("qpq.db"), StoreLimits.defaults(), Clock.systemUTC()).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("qpq.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM sqlite_sequence WHERE name = 'devices'");
      s.executeUpdate("INSERT INTO sqlite_sequence (name, seq) VALUES ('devices', "
          + DEVICE_ID_BASE + ")");
    }
    Path logFile = dir.resolve("server.log");
    List<String> cmd = new ArrayList<>(List.of(javaBinary(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
        "-Dorg.slf4j.simpleLogger.logFile=" + logFile,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "server", "--listen", "0.0.0.0:0", "--data", data.toString()));
    if (redact) {
      cmd.add("--redact-logs");
    }
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> users = List.of("alicezqx", "bobzqx", "carolzqx");
    List<Long> devices = new ArrayList<>();
    Set<Integer> ports = new LinkedHashSet<>();
    List<Messenger> open = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("qpq-server listening on ");
      int port = Integer.parseInt(line.replaceAll(".*:([0-9]+) fingerprint.*", "$1"));
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-server-stdout");
      drain.setDaemon(true);
      drain.start();

      Recorder[] recs = {new Recorder(), new Recorder(), new Recorder()};
      Messenger[] ms = new Messenger[3];
      for (int i = 0; i < 3; i++) {
        ClientConfig cc = new ClientConfig(new HostPort("127.0.0.1", port),
            dir.resolve(users.get(i)), RpcLimits.defaults(),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
        ms[i] = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
            .withPollInterval(Duration.ofMillis(300)), recs[i]);
        open.add(ms[i]);
        ms[i].register(users.get(i));
        devices.add(ms[i].deviceId());
      }
      assertThat(devices).allMatch(d -> d > DEVICE_ID_BASE);

      Conversation dm = ms[0].openDm(users.get(1));
      ms[0].sendText(dm, "hi");
      recs[1].await(t -> t.contains("hi"));
      ms[1].sendText(ms[1].find("@" + users.get(0)), "x".repeat(3000));
      recs[0].await(t -> t.contains("x".repeat(3000)));

      Conversation g = ms[0].createGroup("teamzqx");
      g = ms[0].invite(g, users.get(1));
      g = ms[0].invite(g, users.get(2));
      ms[0].sendText(g, "welcome");
      recs[1].await(t -> t.contains("welcome"));
      recs[2].await(t -> t.contains("welcome"));
      ms[2].sendText(ms[2].find("#teamzqx"), "y".repeat(700));
      recs[0].await(t -> t.contains("y".repeat(700)));
      ports.addAll(udpPortsOfThisJvm());
      g = ms[0].kick(g, users.get(2));
      ms[0].sendText(g, "after kick");
      recs[1].await(t -> t.contains("after kick"));
      ms[2].sync();
      // A failed call whose error detail names a user the server does not know.
      assertThatThrownBy(() -> ms[1].openDm("nobodyzqx")).hasMessageContaining("nobodyzqx");
    } finally {
      open.forEach(Messenger::close);
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
    List<String> allUsers = new ArrayList<>(users);
    allUsers.add("nobodyzqx");
    List<byte[]> messageIds = new ArrayList<>();
    for (String user : users) {
      messageIds.addAll(processedIds(dir.resolve(user).resolve("account.db")));
    }
    assertThat(messageIds).hasSizeGreaterThan(8);
    assertThat(ports).isNotEmpty();
    String log = Files.readString(logFile, StandardCharsets.UTF_8);
    return new Run(log, allUsers, devices, ports, messageIds);
  }

  private static List<byte[]> processedIds(Path accountDb) throws Exception {
    List<byte[]> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + accountDb);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT message_id FROM processed")) {
      while (r.next()) {
        ids.add(r.getBytes(1));
      }
    }
    return ids;
  }

  /** Local ports of this process's UDP sockets: the clients' QUIC endpoints (Linux /proc). */
  private static Set<Integer> udpPortsOfThisJvm() throws IOException {
    Set<String> inodes = new LinkedHashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // The descriptor closed while listing.
        }
      }
    }
    Set<Integer> ports = new LinkedHashSet<>();
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String row : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
        String[] f = row.trim().split("\\s+");
        if (f.length > 9 && inodes.contains(f[9])) {
          String local = f[1];
          ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Keeps the texts a messenger received. */
  static final class Recorder implements MessengerListener {
    final List<String> texts = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Conversation conversation, StoredMessage message) {
      if (message.kind() == StoredMessage.Kind.TEXT && !message.outgoing()) {
        texts.add(message.body());
      }
    }

    void await(Predicate<List<String>> p) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!p.test(texts)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out; received " + texts);
        }
        Thread.sleep(20);
      }
    }
  }
}
