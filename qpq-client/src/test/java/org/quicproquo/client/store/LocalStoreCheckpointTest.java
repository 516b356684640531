package org.quicproquo.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL is copied into the database file beside the store's connection, not inside commits. */
class LocalStoreCheckpointTest {
  @TempDir
  Path dir;

  @Test
  void commitsAreCheckpointedInTheBackground() throws Exception {
    Path file = dir.resolve("account.db");
    try (LocalStore store = LocalStore.open(file)) {
      long before = Files.size(file);
      // ~300 pages in as many commits: under SQLite's automatic threshold (1,000 pages) and the
      // store's backstop, so only the background checkpoint can bring them into the file.
      int n = Math.max(300, LocalStore.CHECKPOINT_EVERY + 50);
      for (int i = 0; i < n; i++) {
        byte[] ref = new byte[32];
        ref[0] = (byte) i;
        ref[1] = (byte) (i >> 8);
        store.putKeyPackage(ref, new byte[4_000], false, i);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Files.size(file) < before + 1_000_000L) {
        assertThat(System.nanoTime()).as("database file still %d bytes", Files.size(file))
            .isLessThan(deadline);
        Thread.sleep(20);
      }
    }
    // Everything committed is there after reopening.
    try (LocalStore store = LocalStore.open(file)) {
      byte[] ref = new byte[32];
      assertThat(store.keyPackage(ref)).isPresent();
    }
  }

  /**
   * A full checkpoint (what purging deleted text relies on) empties the WAL even when the
   * background checkpointer is running one of its own at the same moment.
   */
  @Test
  void aFullCheckpointEmptiesTheWalWhileTheBackgroundOneRuns() throws Exception {
    Path file = dir.resolve("account.db");
    Path wal = dir.resolve("account.db-wal");
    try (LocalStore store = LocalStore.open(file)) {
      int k = 0;
      for (int round = 0; round < 30; round++) {
        // Each round ends by crossing CHECKPOINT_EVERY, which starts a background checkpoint.
        for (int i = 0; i < LocalStore.CHECKPOINT_EVERY; i++, k++) {
          byte[] ref = new byte[32];
          ref[0] = (byte) k;
          ref[1] = (byte) (k >> 8);
          store.putKeyPackage(ref, new byte[4_000], false, k);
        }
        store.checkpoint();
        assertThat(Files.size(wal)).as("WAL bytes after round %d", round).isZero();
      }
    }
  }
}
