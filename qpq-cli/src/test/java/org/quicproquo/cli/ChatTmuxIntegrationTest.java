package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/**
 * Two real {@code qpq chat} processes, each in its own pseudo-terminal (a tmux session on a
 * private tmux socket), typing to each other through a server in this JVM. What is asserted is
 * what a person would see on the two screens.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatTmuxIntegrationTest {
  private static final long WAIT_SECONDS = 20;

  @TempDir Path root;
  /** A private tmux server: its socket lives in the test's temporary directory. */
  private Path socket;
  private QpqServer server;

  @BeforeEach
  void start() throws Exception {
    socket = root.resolve("qpq-test-" + HexFormat.of().formatHex(
        new SecureRandom().generateSeed(6)));
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("tmux -V failed; the pty test of qpq chat needs a working tmux.");
      }
    } catch (IOException e) {
      fail("tmux is required for the pty test of qpq chat and was not found on the PATH"
          + " (Debian: apt-get install tmux; ./test installs it).");
    }
    server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      tmuxQuietly("kill-server");
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void twoChatProcessesExchangeDirectMessagesLiveInPseudoTerminals() throws Exception {
    Path passphrase = root.resolve("alice.pass");
    Files.writeString(passphrase, "correct horse battery staple\n");
    chat("alice", "alice", "--passphrase-file", passphrase.toString());
    chat("bob", "Bob"); // names are case-insensitive: Bob is bob

    waitFor("alice", s -> s.contains("type /register"), "the greeting");
    waitFor("bob", s -> s.contains("type /register"), "the greeting");

    type("alice", "/register");
    type("bob", "/register");
    waitFor("alice", s -> s.contains("Registered alice on"), "registration");
    waitFor("bob", s -> s.contains("Registered bob on"), "registration");

    type("alice", "/dm bob");
    waitFor("alice", s -> s.contains("Now in @bob.") && s.contains("alice@@bob> "),
        "the DM opened");
    waitFor("bob", s -> s.contains("@alice * DM with alice started."), "the invitation");

    // Bob is in the middle of a line when Alice's message arrives: it must appear above it.
    keys("bob", "-l", "half-typed draft");
    waitFor("bob", s -> lastLine(s).equals("bob> half-typed draft"), "the draft");
    type("alice", "hello bob, from a pty!");
    // Both in one condition: a capture may catch the terminal mid-redraw.
    waitFor("bob", s -> s.contains("@alice alice: hello bob, from a pty!")
        && lastLine(s).equals("bob> half-typed draft"), "alice's message above the draft");

    // Ctrl-C throws the draft away; the next line is a clean command.
    // Ctrl-C is a signal, handled asynchronously: wait for the fresh prompt before typing on.
    keys("bob", "C-c");
    waitFor("bob", s -> lastLine(s).equals("bob>"), "a fresh prompt after Ctrl-C");
    type("bob", "/switch @alice");
    waitFor("bob", s -> s.contains("Now in @alice.") && lastLine(s).equals("bob@@alice>"),
        "the switch");
    type("bob", "hi alice, bob here");
    waitFor("alice", s -> s.contains("@bob bob: hi alice, bob here"), "bob's reply");
    waitFor("bob", s -> s.contains("@alice bob: hi alice, bob here"), "bob's own line");

    type("alice", "/quit");
    keys("bob", "C-d");
    waitFor("alice", s -> s.contains("[exited 0]"), "a clean exit after /quit");
    waitFor("bob", s -> s.contains("[exited 0]"), "a clean exit after Ctrl-D");
    for (String who : List.of("alice", "bob")) {
      assertThat(capture(who)).doesNotContain("Exception", "\tat ", "error:");
    }
    assertThat(capture("bob")).doesNotContain("half-typed draft/switch");

    // Alice's keys are locked: started without the file, the chat asks for the passphrase
    // without echoing it, then connects and shows the history.
    chat("alice-again", "alice");
    waitFor("alice-again", s -> s.contains("Passphrase for the keys in "), "the passphrase prompt");
    type("alice-again", "correct horse battery staple");
    waitFor("alice-again", s -> s.contains("Connected as alice (device "), "the connection");
    type("alice-again", "/switch @bob");
    type("alice-again", "/history 3");
    waitFor("alice-again", s -> s.contains("@bob bob: hi alice, bob here"), "the history");
    assertThat(capture("alice-again")).doesNotContain("battery");
    type("alice-again", "/quit");
    waitFor("alice-again", s -> s.contains("[exited 0]"), "a clean exit");
  }

  /** Starts {@code qpq chat} for {@code user} in a new detached tmux session. */
  private void chat(String session, String user, String... options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "org.quicproquo.cli.Main", "chat", "--server", "127.0.0.1:" + server.address().getPort(),
        "--user", user, "--state", root.resolve(user).toString()));
    cmd.addAll(List.of(options));
    StringBuilder shell = new StringBuilder();
    for (String c : cmd) {
      shell.append(quote(c)).append(' ');
    }
    // The pane outlives the program so that its last screen and exit status can be read.
    shell.append("; echo \"[exited $?]\"; sleep 300");
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", shell.toString());
  }

  private void type(String session, String line) throws Exception {
    keys(session, "-l", line);
    keys(session, "Enter");
  }

  private void keys(String session, String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  private String capture(String session) throws Exception {
    return tmux("capture-pane", "-p", "-J", "-t", session);
  }

  /** Polls the screen of {@code session} until it satisfies {@code p} (bounded). */
  private void waitFor(String session, Predicate<String> p, String what) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    String screen = capture(session);
    while (!p.test(screen)) {
      if (System.nanoTime() > end) {
        fail("No " + what + " on " + session + "'s screen within " + WAIT_SECONDS + " s.\n--- "
            + session + " ---\n" + screen.strip() + "\n--- other screens ---\n"
            + tmuxQuietly("capture-pane", "-p", "-J", "-t", session.equals("bob") ? "alice" : "bob")
                .strip());
      }
      Thread.sleep(150);
      screen = capture(session);
    }
  }

  private static String lastLine(String screen) {
    String[] lines = screen.strip().split("\n");
    return lines[lines.length - 1].stripTrailing();
  }

  private String tmux(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(
        List.of("tmux", "-f", "/dev/null", "-S", socket.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("tmux " + String.join(" ", args) + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail("tmux " + args[0] + " failed (" + p.exitValue() + "): " + text.strip());
    }
    return text;
  }

  private String tmuxQuietly(String... args) {
    try {
      return tmux(args);
    } catch (Throwable t) {
      return "(" + t.getMessage() + ")";
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
