package org.quicproquo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {
  @TempDir Path dir;

  private static final String FP = "ab".repeat(32);

  @Test
  void pinsSurviveReload() throws IOException {
    KnownServers k = KnownServers.load(dir);
    assertThat(k.pinFor("127.0.0.1:7000")).isEmpty();
    k.pin("127.0.0.1:7000", FP.toUpperCase());
    assertThat(KnownServers.load(dir).pinFor("127.0.0.1:7000")).contains(FP);
  }

  @Test
  void malformedFileIsRejectedWithLineNumber() throws IOException {
    Files.writeString(dir.resolve("known_servers"), "# c\nhost:1 nothex\n");
    assertThatThrownBy(() -> KnownServers.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining(":2:");
  }

  @Test
  void rejectsBadFingerprintAndAddress() throws IOException {
    KnownServers k = KnownServers.load(dir);
    assertThatThrownBy(() -> k.pin("h:1", "abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> k.pin("h 1", FP)).isInstanceOf(IllegalArgumentException.class);
  }
}
