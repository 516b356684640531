package org.quicproquo.cli;

import org.quicproquo.cli.ChatWorld.Chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /kt audit}, {@code /kt proof} and {@code /kt monitor} through a ChatSession, real server. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KtCommandsTest {
  @TempDir Path root;
  private ChatWorld world;

  @BeforeEach
  void start() throws Exception {
    world = ChatWorld.start(root);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Chat chat(String user) {
    return world.chat(user);
  }

  @Test
  void auditProofAndMonitorShowTheLogAndALoudAlert() {
    Chat alice = chat("alice");
    Chat bob = chat("bob");
    Chat carol = chat("carol");
    alice.run("/register");
    bob.run("/register");
    carol.run("/register");

    List<String> proof = alice.run("/kt proof bob");
    assertThat(proof.get(0)).startsWith("Inclusion proof for bob: #2 REGISTER identity key ");
    assertThat(proof.get(1)).startsWith("  in tree head of size 6 (root ")
        .endsWith("signed by the pinned log key");
    assertThat(proof.get(2)).isEqualTo("  audit path, 3 hash(es) from the leaf up:");
    assertThat(proof.subList(3, 6)).allMatch(l -> l.matches("    [0-9a-f]{64}"));
    assertThat(proof.get(6)).startsWith("Verified: the entry is in the log the server signed");

    List<String> audit = alice.run("/kt audit bob");
    assertThat(audit.get(0)).startsWith("Key history of bob: 2 entries, each proven in tree head"
        + " of size 6");
    assertThat(audit.get(1)).startsWith("  #2 REGISTER identity key ");
    assertThat(audit.get(2)).startsWith("  #3 DEVICE_ADDED device ");
    assertThat(audit.get(3)).startsWith("Verified: the history is consistent; current identity "
        + "key ").endsWith("1 device(s) [2].");
    assertThat(alice.run("/kt audit nobody"))
        .containsExactly("error: The key-transparency log has no entry for nobody.");
    assertThat(alice.run("/kt proof nobody"))
        .containsExactly("The key-transparency log has no entry for nobody.");
    assertThat(alice.run("/kt")).containsExactly("error: Usage: " + KtCommands.USAGE + ".");
    assertThat(alice.run("/kt frob bob")).containsExactly("error: Usage: " + KtCommands.USAGE
        + ".");
    assertThat(alice.run("/kt monitor 0"))
        .containsExactly("error: The interval must be at least 1 second.");

    alice.run("/verify bob"); // pins bob's key
    alice.run("/verify bob yes");
    assertThat(alice.run("/kt monitor 1")).containsExactly("Watching the key-transparency log "
        + "every 1 s for changes of your own keys and of 1 contact(s)' keys; /kt monitor off "
        + "stops.");
    // The server binds bob to carol's key (and logs it): a TOFU violation for alice.
    byte[] carolsKey =
        world.server.keyTransparency().latestIdentity("carol").orElseThrow().entry().key();
    world.server.store().atomically(() -> {
      world.server.keyTransparency().appendKeyChange("bob", carolsKey);
      return null;
    });
    alice.screen().await(l -> l.startsWith("!!! KEY TRANSPARENCY ALERT [UNEXPECTED_KEY_CHANGE] "
        + "for bob: TOFU VIOLATION"));
    alice.screen().await(l -> l.startsWith("!!! bob is marked unverified"));
    assertThat(alice.run("/kt monitor off")).containsExactly("Key-transparency monitor stopped.");
    assertThat(alice.screen().all()).noneMatch(l -> l.contains("Exception"));
  }
}
