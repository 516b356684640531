package org.quicproquo.cli;

import org.quicproquo.cli.ChatWorld.Chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.RateLimits;
import org.quicproquo.server.store.StoreLimits;

/**
 * {@code /send-file} and {@code /download} through {@link ChatSession} against a real server
 * whose blob limits are small enough to refuse: progress lines, the saved file, and one-line
 * errors for a missing file and for each quota.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatFileTransferTest {
  /** A progress line: name, bar, percent, bytes done / total, rate, time left. */
  private static final String PROGRESS = " \\[[#.]{20}\\] +\\d{1,3}\\.\\d%  [\\d.]+ [KMG]?i?B / "
      + "[\\d.]+ [KMG]?i?B  [\\d.]+ [KMG]?i?B/s  ETA (\\d+:\\d\\d|\\?)";
  private static final long MAX_BLOB = 1L << 20;
  private static final long MAX_USER = 3L << 19; // 1.5 MiB

  @TempDir Path root;
  private ChatWorld world;
  private final SecureRandom random = new SecureRandom();

  @BeforeEach
  void start() throws Exception {
    BlobLimits d = BlobLimits.defaults();
    world = ChatWorld.around(root, QpqServer.start(ChatWorld.serverConfig(root), random,
        Clock.systemUTC(), StoreLimits.defaults(), RateLimits.defaults(),
        d.withMaxBlobBytes(MAX_BLOB).withMaxUserBytes(MAX_USER)));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Chat chat(String user) {
    Chat c = world.chat(user);
    assertThat(c.started()).isTrue();
    return c;
  }

  private Path randomFile(String name, int size) throws Exception {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return Files.write(root.resolve(name), b);
  }

  @Test
  void sendFileAndDownloadShowProgressAndSaveTheSameBytes() throws Exception {
    Chat alice = chat("alice");
    Chat bob = chat("bob");
    alice.run("/register");
    bob.run("/register");
    alice.run("/dm bob");
    Path photo = randomFile("photo.jpg", 600 << 10);

    List<String> sent = alice.run("/send-file " + photo);
    assertThat(sent).anyMatch(l -> l.matches("upload photo\\.jpg" + PROGRESS));
    assertThat(sent).as("the last progress line is the finished transfer")
        .anyMatch(l -> l.startsWith("upload photo.jpg [####################] 100.0%  "
            + "600.0 KiB / 600.0 KiB  "));
    String line = sent.get(sent.size() - 1);
    assertThat(line).matches("\\[\\d\\d:\\d\\d\\] @bob alice: \\[file\\] photo\\.jpg.*"
        + "  \\[[0-9a-f]{8}\\]");
    String id = line.substring(line.lastIndexOf('[') + 1, line.lastIndexOf(']'));

    bob.screen().await(l -> l.contains("@alice alice: [file] photo.jpg") && l.endsWith(id + "]"));
    bob.run("/switch @alice");
    Path target = root.resolve("saved.jpg");
    List<String> got = bob.run("/download " + id + " " + target);
    assertThat(got).anyMatch(l -> l.matches("download saved\\.jpg" + PROGRESS));
    assertThat(got).anyMatch(l -> l.startsWith("download saved.jpg [####################] "
        + "100.0%  600.0 KiB / 600.0 KiB  "));
    assertThat(got).last().isEqualTo("Saved " + target.toAbsolutePath() + ".");
    assertThat(Files.mismatch(photo, target)).isEqualTo(-1);
    assertThat(Files.exists(root.resolve("saved.jpg.part"))).isFalse();

    for (Chat c : List.of(alice, bob)) {
      assertThat(c.screen().all()).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
    }
  }

  @Test
  void missingFileAndQuotaRefusalsAreOneClearLine() throws Exception {
    Chat alice = chat("alice");
    Chat bob = chat("bob");
    alice.run("/register");
    bob.run("/register");
    alice.run("/dm bob");

    Path missing = root.resolve("nothing-here.txt");
    assertThat(alice.run("/send-file " + missing)).containsExactly(
        "error: No such file: " + missing + ".");
    assertThat(alice.run("/send-file")).containsExactly("error: Usage: /send-file PATH.");

    Path big = randomFile("big.bin", 2 << 20);
    List<String> tooBig = alice.run("/send-file " + big);
    assertThat(tooBig).singleElement().asString()
        .startsWith("error: Could not upload big.bin: ")
        .contains("QUOTA_EXCEEDED", "BLOB_SIZE", String.valueOf(MAX_BLOB));

    alice.run("/send-file " + randomFile("first.bin", 600 << 10));
    List<String> overQuota = alice.run("/send-file " + randomFile("second.bin", 1000 << 10));
    assertThat(overQuota).singleElement().asString()
        .startsWith("error: Could not upload second.bin: ")
        .contains("QUOTA_EXCEEDED", "BLOB_STORAGE", String.valueOf(MAX_USER));

    // The DM and the file line reach bob asynchronously; wait, so neither lands mid-command.
    bob.screen().await(l -> l.contains("@alice") && l.contains("first.bin"));
    assertThat(bob.run("/switch @alice")).contains("Now in @alice.");
    assertThat(bob.run("/download")).containsExactly("error: Usage: /download ID [PATH].");
    assertThat(bob.run("/download 0000 " + root.resolve("x"))).singleElement().asString()
        .startsWith("error: ");
    for (Chat c : List.of(alice, bob)) {
      assertThat(c.screen().all()).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
    }
  }
}
