package org.quicproquo.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreSearchTest {
  private static final byte[] ROOM = {1, 1, 1};
  private static final byte[] OTHER = {2, 2, 2};

  @TempDir
  Path dir;

  private static StoredMessage line(byte[] group, int id, StoredMessage.Kind kind, String body) {
    return new StoredMessage(group, new byte[] {(byte) id}, "alice", id, id, kind, body, false);
  }

  private static List<String> bodies(List<StoredMessage> hits) {
    return hits.stream().map(StoredMessage::body).toList();
  }

  @Test
  void findsEveryWordAsPrefixNewestFirstAndOnlyWhatPeopleWrote() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      store.addMessage(line(ROOM, 1, StoredMessage.Kind.TEXT, "Lunch at the café tomorrow?"));
      store.addMessage(line(ROOM, 2, StoredMessage.Kind.TEXT, "lunch is cancelled"));
      store.addMessage(line(ROOM, 3, StoredMessage.Kind.SYSTEM, "alice renamed to lunch club"));
      store.addMessage(line(ROOM, 4, StoredMessage.Kind.FILE, "lunch-menu.pdf (12 KiB)"));
      store.addMessage(line(OTHER, 5, StoredMessage.Kind.TEXT, "lunch elsewhere"));

      assertThat(bodies(store.search(ROOM, "lunch", 10))).containsExactly(
          "lunch-menu.pdf (12 KiB)", "lunch is cancelled", "Lunch at the café tomorrow?");
      assertThat(bodies(store.search(ROOM, "LUN cafe", 10)))
          .containsExactly("Lunch at the café tomorrow?");
      assertThat(bodies(store.search(null, "elsewhere", 10))).containsExactly("lunch elsewhere");
      assertThat(store.search(ROOM, "lunch", 1)).hasSize(1);
      assertThat(store.search(ROOM, "   ", 10)).isEmpty();
    }
  }

  @Test
  void queryOperatorsTypedByAUserAreSearchedForNotInterpreted() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      store.addMessage(line(ROOM, 1, StoredMessage.Kind.TEXT, "cats OR dogs"));
      store.addMessage(line(ROOM, 2, StoredMessage.Kind.TEXT, "only dogs"));

      assertThat(bodies(store.search(ROOM, "cats OR", 10))).containsExactly("cats OR dogs");
      assertThat(store.search(ROOM, "\"unbalanced NEAR( *", 10)).isEmpty();
      assertThat(store.search(ROOM, "body:dogs", 10)).isEmpty();
    }
  }

  @Test
  void editsReindexAndDeletesAndExpiryRemoveTheWords() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      store.addMessage(line(ROOM, 1, StoredMessage.Kind.TEXT, "meet at noon"));
      store.addMessage(line(ROOM, 2, StoredMessage.Kind.TEXT, "secret plans"));
      store.addMessage(line(ROOM, 3, StoredMessage.Kind.TEXT, "vanishing words"));
      store.setExpiry(ROOM, new byte[] {3}, 1_000);

      store.editMessage(ROOM, new byte[] {1}, "meet at midnight");
      assertThat(store.search(ROOM, "noon", 10)).isEmpty();
      assertThat(bodies(store.search(ROOM, "midnight", 10))).containsExactly("meet at midnight");

      store.deleteMessage(ROOM, new byte[] {2});
      assertThat(store.search(ROOM, "secret", 10)).isEmpty();

      assertThat(store.deleteExpired(1_000)).isEqualTo(1);
      assertThat(store.search(ROOM, "vanishing", 10)).isEmpty();
    }
  }

  @Test
  void deletedWordsAreGoneFromTheDatabaseFileNotJustFromResults() throws Exception {
    Path file = dir.resolve("a.db");
    String word = "zqxjkpolymorph";
    try (LocalStore store = LocalStore.open(file)) {
      for (int i = 1; i <= 50; i++) {
        store.addMessage(line(ROOM, i, StoredMessage.Kind.TEXT, "filler text number " + i));
      }
      store.addMessage(line(ROOM, 99, StoredMessage.Kind.TEXT, "the word is " + word));
      // Searched once, so the word is in the index too, not only in the history line.
      assertThat(store.search(ROOM, word, 10)).hasSize(1);
      store.checkpoint();
      assertThat(contains(Files.readAllBytes(file), word)).isTrue();

      store.deleteMessage(ROOM, new byte[] {99});
      store.checkpoint();
    }
    assertThat(contains(Files.readAllBytes(file), word)).isFalse();
  }

  @Test
  void upgradingFromVersionFiveIndexesTheExistingHistory() throws Exception {
    Path file = dir.resolve("a.db");
    try (LocalStore store = LocalStore.open(file)) {
      store.addMessage(line(ROOM, 1, StoredMessage.Kind.TEXT, "written before search existed"));
    }
    // Turn the file back into a version-5 database: no index, no triggers.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      for (String t : List.of("messages_fts_delete", "messages_fts_unindex",
          "messages_fts_reindex")) {
        s.execute("DROP TRIGGER " + t);
      }
      s.execute("DROP TABLE messages_fts");
      s.execute("DROP TABLE fts_progress");
      s.execute("DROP TABLE kt_tree_heads"); // version 6 (key transparency) came later too
      s.execute("PRAGMA user_version = 5");
    }
    try (LocalStore store = LocalStore.open(file)) {
      assertThat(bodies(store.search(ROOM, "before", 10)))
          .containsExactly("written before search existed");
    }
  }

  @Test
  void linesChangedBeforeTheIndexCaughtUpAreIndexedAsTheyAreThen() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      store.addMessage(line(ROOM, 1, StoredMessage.Kind.TEXT, "indexed early"));
      assertThat(bodies(store.search(ROOM, "early", 10))).containsExactly("indexed early");
      // Written after that search, so not in the index yet when they change.
      store.addMessage(line(ROOM, 2, StoredMessage.Kind.TEXT, "draft wording"));
      store.addMessage(line(ROOM, 3, StoredMessage.Kind.TEXT, "regret this"));
      store.addMessage(line(ROOM, 4, StoredMessage.Kind.TEXT, "short lived"));
      store.setExpiry(ROOM, new byte[] {4}, 1_000);
      store.editMessage(ROOM, new byte[] {2}, "final wording");
      store.deleteMessage(ROOM, new byte[] {3});
      assertThat(store.deleteExpired(1_000)).isEqualTo(1);
      // And a line indexed before, edited after.
      store.editMessage(ROOM, new byte[] {1}, "indexed late");

      assertThat(store.search(ROOM, "draft", 10)).isEmpty();
      assertThat(bodies(store.search(ROOM, "wording", 10))).containsExactly("final wording");
      assertThat(store.search(ROOM, "regret", 10)).isEmpty();
      assertThat(store.search(ROOM, "lived", 10)).isEmpty();
      assertThat(store.search(ROOM, "early", 10)).isEmpty();
      assertThat(bodies(store.search(ROOM, "indexed", 10))).containsExactly("indexed late");
      // Indexing twice must not duplicate anything.
      assertThat(store.search(ROOM, "wording", 10)).hasSize(1);
    }
  }

  @Test
  void theIndexCatchesUpInBatchesWithoutASearch() throws Exception {
    Path file = dir.resolve("a.db");
    try (LocalStore store = LocalStore.open(file)) {
      for (int i = 1; i < LocalStore.INDEX_EVERY; i++) {
        store.addMessage(new StoredMessage(ROOM, ByteBuffer.allocate(4).putInt(i).array(),
            "alice", i, i, StoredMessage.Kind.TEXT, "line " + i, false));
      }
      store.addMessage(line(OTHER, 1, StoredMessage.Kind.TEXT, "the batch's last line"));
      assertThat(indexedUpTo(file)).isZero();
      // The first commit after INDEX_EVERY new lines indexes them all, its own line too.
      store.addMessage(line(OTHER, 2, StoredMessage.Kind.TEXT, "one more"));
      assertThat(indexedUpTo(file)).isEqualTo(LocalStore.INDEX_EVERY + 1);
      store.addMessage(line(OTHER, 3, StoredMessage.Kind.TEXT, "and the batch after"));
      assertThat(indexedUpTo(file)).isEqualTo(LocalStore.INDEX_EVERY + 1);
      assertThat(bodies(store.search(OTHER, "batch", 10)))
          .containsExactly("and the batch after", "the batch's last line");
      assertThat(indexedUpTo(file)).isEqualTo(LocalStore.INDEX_EVERY + 2);
    }
  }

  private static long indexedUpTo(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT indexed_upto FROM fts_progress")) {
      return r.next() ? r.getLong(1) : -1;
    }
  }

  /** Whether the file bytes hold {@code needle} (ASCII) anywhere. */
  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }
}
