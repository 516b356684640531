package org.quicproquo.cli;

import org.quicproquo.cli.ChatWorld.Chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerConfig;

/** {@link ChatSession} and {@link ChatRepl} driven by scripted lines against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatSessionTest {
  @TempDir Path root;
  private ChatWorld world;
  private HostPort address;

  @BeforeEach
  void start() throws Exception {
    world = ChatWorld.start(root);
    address = world.address;
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Chat chat(String user, String dir) {
    return world.chat(user, dir);
  }

  @Test
  void newStateDirectoryExplainsRegisterAndEveryErrorIsOneLine() {
    Chat alice = chat("alice", "alice");
    assertThat(alice.started()).isTrue();
    assertThat(alice.screen().all()).singleElement().asString()
        .contains("No account in").contains("type /register");
    assertThat(alice.session().prompt()).isEqualTo("alice> ");

    assertThat(alice.run("/dm bob")).containsExactly("error: No account here yet; register first.");
    assertThat(alice.run("hello")).singleElement().asString()
        .startsWith("error: No conversation selected");
    assertThat(alice.run("/frobnicate now")).containsExactly(
        "error: Unknown command /frobnicate; /help lists the commands.");
    assertThat(alice.run("/whoami")).contains("user:   alice (not registered here; /register"
        + " creates it)", "device: none", "server: " + address + " (not connected)",
        "state:  " + root.resolve("alice"));
    List<String> help = alice.run("/help");
    for (String c : List.of("/register", "/dm USER", "/group create NAME", "/invite USER",
        "/kick USER", "/leave", "/rename NAME", "/groups", "/switch CONV", "/history [N]",
        "/search WORDS", "/whoami", "/quit")) {
      assertThat(help).anyMatch(l -> l.startsWith("  " + c + " "));
    }
    assertThat(alice.run("   ")).isEmpty();
    assertThat(alice.run("/group make x")).containsExactly("error: Usage: /group create NAME.");
    assertThat(alice.run("/register now")).containsExactly("error: Usage: /register.");
    assertThat(alice.session().execute("/quit")).isFalse();
    assertThat(alice.session().execute("/QUIT")).isFalse();
    assertThat(alice.screen().all()).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
  }

  @Test
  void replyReactEditDeleteAndReceiptsShowLive() {
    Chat alice = chat("alice", "alice");
    Chat bob = chat("bob", "bob");
    alice.run("/register");
    bob.run("/register");
    alice.run("/dm bob");
    String sent = alice.run("lunch?").get(0);
    String id = sent.substring(sent.lastIndexOf('[') + 1, sent.lastIndexOf(']'));
    bob.screen().await(l -> l.contains("@alice alice: lunch?  [" + id + "]"));
    bob.run("/switch @alice");
    bob.run("/reply " + id + " sure");
    alice.screen().await(l -> l.contains("@bob bob: sure  [re " + id + "]"));
    bob.run("/react " + id + " 🍕");
    alice.screen().await(l -> l.endsWith("@bob * bob reacted 🍕 to " + id));
    alice.run("/edit " + id + " lunch at 1?");
    bob.screen().await(l -> l.endsWith("@alice * alice edited " + id + ": lunch at 1?"));
    assertThat(bob.run("/edit " + id + " mine now")).containsExactly(
        "error: You can only edit your own messages.");
    alice.run("/delete " + id);
    bob.screen().await(l -> l.endsWith("@alice * alice deleted " + id));
    assertThat(bob.run("/history 5")).anyMatch(l -> l.contains("alice: (deleted)  [" + id + "]"));
    // bob is looking at the DM when this one comes in: alice learns it was read.
    String second = alice.run("are you there?").get(0);
    String secondId = second.substring(second.lastIndexOf('[') + 1, second.lastIndexOf(']'));
    alice.screen().await(l -> l.endsWith("@bob * bob read " + secondId));
    assertThat(alice.run("/reply zz nope")).singleElement().asString().startsWith("error: ");
    List<String> aliceSees = alice.run("/verify bob");
    List<String> bobSees = bob.run("/verify alice");
    assertThat(aliceSees.get(1)).matches("  (\\d{5} ){5}\\d{5}").isEqualTo(bobSees.get(1));
    assertThat(aliceSees.get(2)).isEqualTo(bobSees.get(2));
    assertThat(alice.run("/verify bob yes")).containsExactly("bob is now marked verified.");
    assertThat(alice.run("/privacy")).anyMatch(l -> l.equals("Contacts: bob (verified)"))
        .anyMatch(l -> l.startsWith("Keys on this device: NOT locked"));
    assertThat(alice.run("/ttl 90x")).containsExactly(
        "error: /ttl takes a duration such as 30s, 10m, 1h or 7d, or off.");
    alice.run("/ttl 1h");
    bob.screen().await(l -> l.endsWith("@alice * alice set disappearing messages to 1h."));
    assertThat(alice.run("/group-info")).anyMatch(l -> l.equals("  disappearing messages: 1h"))
        .anyMatch(l -> l.startsWith("  epoch 1, cipher suite MLS_128_DHKEMX25519_AES128GCM"))
        .anyMatch(l -> l.matches("    bob  device \\d+  leaf 1"))
        .anyMatch(l -> l.matches("    alice  device \\d+  leaf 0  \\(you\\)"));
    assertThat(alice.run("/react " + id)).containsExactly("error: Usage: /react ID EMOJI.");
  }

  @Test
  void verifyFsShowsUsedKeysDeletedAndSearchesTheSavedState() {
    Chat alice = chat("alice", "alice");
    Chat bob = chat("bob", "bob");
    alice.run("/register");
    bob.run("/register");
    assertThat(alice.run("/verify-fs")).singleElement().asString().startsWith("error: ");
    alice.run("/dm bob");
    alice.run("one");
    alice.run("two");
    bob.screen().await(l -> l.contains("@alice alice: two"));
    bob.run("/switch @alice");
    List<String> fs = bob.run("/verify-fs");
    assertThat(fs.get(0)).matches("Forward secrecy of .*alice.* on this device \\(epoch \\d+\\):");
    assertThat(fs).anyMatch(l -> l.matches("  epoch \\d+ \\(current\\):"))
        .anyMatch(l -> l.matches("    leaf 0: [1-9]\\d* message key\\(s\\) deleted"))
        .anyMatch(l -> l.startsWith("  older epochs: no message keys or epoch secrets held"))
        .anyMatch(l -> l.matches("  searched the saved state \\(\\d+ bytes\\) for [1-9]\\d*"
            + " deleted key\\(s\\) and secret\\(s\\) since this session loaded it: none found"));
    assertThat(bob.run("/verify-fs now")).containsExactly("error: Usage: /verify-fs.");
    assertThat(bob.run("/help")).anyMatch(l -> l.startsWith("  /verify-fs "));
  }

  @Test
  void dmAndGroupBetweenTwoSessions() {
    Chat alice = chat("alice", "alice");
    Chat bob = chat("bob", "bob");
    assertThat(alice.run("/register")).containsExactly(
        "Registered alice on " + address + " as device " + alice.messenger().deviceId()
            + "; connected.");
    assertThat(alice.run("/register")).containsExactly(
        "error: This state directory already holds the account alice.");
    bob.run("/register");

    assertThat(alice.run("/dm bob")).contains("Now in @bob.");
    assertThat(alice.session().prompt()).isEqualTo("alice@@bob> ");
    assertThat(alice.run("hi bob, it's alice!")).singleElement().asString()
        .matches("\\[\\d\\d:\\d\\d\\] @bob alice: hi bob, it's alice!  \\[[0-9a-f]{8}\\]");
    bob.screen().await(l -> l.endsWith("@alice * DM with alice started."));
    bob.screen().await(l -> l.matches("\\[\\d\\d:\\d\\d\\] @alice alice: hi bob, it's alice!  \\[[0-9a-f]{8}\\]"));

    assertThat(bob.run("/switch @alice")).contains("Now in @alice.");
    bob.run("//slash and hi");
    alice.screen().await(l -> l.contains("@bob bob: /slash and hi  ["));

    assertThat(alice.run("/group create team")).contains("Now in #team.");
    alice.run("/invite bob");
    bob.screen().await(l -> l.endsWith("#team * You joined #team (members: alice, bob)."));
    alice.run("/rename crew");
    assertThat(alice.session().prompt()).isEqualTo("alice@#crew> ");
    bob.screen().await(l -> l.endsWith("#crew * alice renamed the group to crew."));
    List<String> groups = alice.run("/groups");
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).matches("  [0-9a-f]{8}  @bob   alice, bob");
    assertThat(groups.get(1)).matches("\\* [0-9a-f]{8}  #crew  alice, bob");
    String crewId = groups.get(1).substring(2, 10);
    assertThat(bob.run("/switch " + crewId)).containsExactly("Now in #crew.");
    bob.run("hello crew");
    alice.screen().await(l -> l.contains("#crew bob: hello crew  ["));

    assertThat(alice.run("/history 2")).hasSize(2).last().asString()
        .contains("#crew bob: hello crew  [");
    assertThat(alice.run("/history x")).containsExactly(
        "error: /history takes a number of lines, e.g. /history 50.");
    assertThat(alice.run("/history 0")).containsExactly(
        "error: History length must be between 1 and 10000.");
    assertThat(alice.run("/search CREW")).singleElement().asString()
        .contains("#crew bob: hello crew  [");
    assertThat(alice.run("/search slash")).containsExactly("Nothing matches \"slash\" in #crew.");
    assertThat(alice.run("/search")).containsExactly("error: Usage: /search WORDS.");
    assertThat(alice.run("/invite")).containsExactly("error: Usage: /invite USER.");
    assertThat(alice.run("/switch #nothing")).singleElement().asString()
        .startsWith("error: No conversation matches \"#nothing\"");
    assertThat(alice.run("/dm alice")).containsExactly("error: That is you.");

    alice.run("/kick bob");
    bob.screen().await(l -> l.endsWith("#crew * alice removed you."));
    assertThat(bob.session().prompt()).isEqualTo("bob@#crew(left)> ");
    assertThat(bob.run("still here?")).singleElement().asString().startsWith("error: ");
    assertThat(bob.run("/leave")).singleElement().asString().startsWith("error: ");

    // The text after "*" comes from the SDK, which still says #team here (see the report).
    assertThat(alice.run("/leave")).anyMatch(l -> l.contains("#crew * You left #"));
    assertThat(alice.session().prompt()).isEqualTo("alice> ");
    assertThat(alice.run("/whoami")).contains("user:   alice",
        "device: " + alice.messenger().deviceId(), "server: " + address + " (connected)");
    for (Chat c : List.of(alice, bob)) {
      assertThat(c.screen().all()).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
    }
  }

  @Test
  void existingAccountConnectsOnStartAndAnotherUserIsRefused() {
    Chat first = chat("alice", "alice");
    first.run("/register");
    first.messenger().close();

    Chat again = chat("alice", "alice");
    assertThat(again.started()).isTrue();
    assertThat(again.screen().all()).contains("Connecting to " + address + " as alice...",
        "Connected as alice (device " + again.messenger().deviceId()
            + "). /help lists the commands.");
    assertThat(again.run("/connect")).containsExactly("Already connected.");
    again.messenger().close();

    Chat wrong = chat("mallory", "alice");
    assertThat(wrong.started()).isFalse();
    assertThat(wrong.screen().all()).singleElement().asString()
        .isEqualTo("error: The state directory " + root.resolve("alice")
            + " holds the account alice, not mallory; use --state to pick another directory.");
  }

  @Test
  void replOverPipedInputSendsLinesVerbatimAndStopsAtEndOfInput() throws Exception {
    Chat bob = chat("bob", "bob");
    bob.run("/register");
    String text = "it's a \\ test \"x !! {[(";
    String script = "/register\n/dm bob\n" + text + "\n";
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    Screen aliceScreen = new Screen();
    // What TerminalBuilder gives when stdin is a pipe: a dumb terminal, no echo, no editing.
    try (Terminal t = new DumbTerminal("qpq-test", "dumb",
        new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), shown,
        StandardCharsets.UTF_8)) {
      var reader = ChatRepl.reader(t);
      ChatSession alice = new ChatSession("alice", address, root.resolve("alice"),
          new ChatFormat(ZoneOffset.UTC), line -> {
            aliceScreen.line(line);
            reader.printAbove(line);
          });
      Messenger m = Messenger.open(MessengerConfig.of(address, root.resolve("alice"))
          .withPollInterval(Duration.ofMillis(500)), alice);
      world.closeWithWorld(m);
      alice.start(m);
      new ChatRepl(reader, alice).run(); // returns at end of input, as after Ctrl-D
    }
    bob.screen().await(l -> l.contains("@alice alice: " + text + "  ["));
    assertThat(aliceScreen.all()).contains("Now in @bob.");
    assertThat(shown.toString(StandardCharsets.UTF_8)).contains("Now in @bob.", "alice@@bob> ");
  }
}
