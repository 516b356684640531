package org.quicproquo.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalStore#conversationInfo} and {@link LocalStore#ttlSeconds} are answered from memory
 * after the first read: they must still show every write, and nothing of a rolled-back one.
 */
class LocalStoreConversationCacheTest {
  private static final byte[] ROOM = {7, 7, 7};

  @TempDir
  Path dir;

  @Test
  void readsShowEveryWriteToTheConversation() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      assertThat(store.conversationInfo(ROOM)).isEmpty();
      store.putConversation(new StoredConversation(ROOM, true, "bob", 5, new byte[] {1}, false));
      assertThat(store.conversationInfo(ROOM).orElseThrow().name()).isEqualTo("bob");
      assertThat(store.ttlSeconds(ROOM)).isZero();

      assertThat(store.updateConversationState(ROOM, "bob,carol", new byte[] {2})).isTrue();
      StoredConversation info = store.conversationInfo(ROOM).orElseThrow();
      assertThat(info.name()).isEqualTo("bob,carol");
      assertThat(info.dm()).isTrue();
      assertThat(info.createdAtMillis()).isEqualTo(5);
      assertThat(info.sealedState()).isNull();
      assertThat(store.conversation(ROOM).orElseThrow().sealedState()).containsExactly(2);

      store.setTtlSeconds(ROOM, 60);
      assertThat(store.ttlSeconds(ROOM)).isEqualTo(60);
      store.putConversation(new StoredConversation(ROOM, true, "bob", 5, null, true));
      assertThat(store.conversationInfo(ROOM).orElseThrow().left()).isTrue();
      assertThat(store.updateConversationState(new byte[] {9}, "nobody", new byte[0])).isFalse();
      assertThat(store.conversationInfo(new byte[] {9})).isEmpty();
    }
  }

  @Test
  void aRolledBackTransactionLeavesNothingBehindInTheAnswers() {
    try (LocalStore store = LocalStore.open(dir.resolve("a.db"))) {
      store.putConversation(new StoredConversation(ROOM, false, "team", 1, new byte[] {1}, false));
      assertThat(store.conversationInfo(ROOM).orElseThrow().name()).isEqualTo("team");
      assertThat(store.ttlSeconds(ROOM)).isZero();

      assertThatThrownBy(() -> store.inTransaction(() -> {
        store.updateConversationState(ROOM, "renamed", new byte[] {2});
        store.setTtlSeconds(ROOM, 30);
        // Read inside the transaction: they see its writes...
        assertThat(store.conversationInfo(ROOM).orElseThrow().name()).isEqualTo("renamed");
        assertThat(store.ttlSeconds(ROOM)).isEqualTo(30);
        throw new IllegalStateException("roll back");
      })).isInstanceOf(IllegalStateException.class);

      // ...and after the rollback, the database's values again.
      assertThat(store.conversationInfo(ROOM).orElseThrow().name()).isEqualTo("team");
      assertThat(store.ttlSeconds(ROOM)).isZero();
    }
  }
}
