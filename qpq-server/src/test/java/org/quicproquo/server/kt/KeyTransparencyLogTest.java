package org.quicproquo.server.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.kt.EntryKind;
import org.quicproquo.kt.KeyHistory;
import org.quicproquo.kt.LogSigningKey;
import org.quicproquo.kt.LogVerifier;
import org.quicproquo.kt.SignedTreeHead;
import org.quicproquo.kt.TreeHeadHistory;
import org.quicproquo.server.store.NewDevice;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.StoreLimits;
import org.quicproquo.server.store.UserName;

/** The server's log over a real SQLite store: appends, transactions, proofs, restart. */
class KeyTransparencyLogTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final LogSigningKey key = LogSigningKey.generate(random);

  private Store open() {
    return Store.openSqlite(dir.resolve("qpq.db"), StoreLimits.defaults(), Clock.systemUTC());
  }

  private byte[] key32(int b) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) b);
    return k;
  }

  @Test
  void appendsAreProvenAndAHistoryAudits() throws Exception {
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      store.atomically(() -> {
        log.appendRegistration("alice", key32(1), 7, key32(2));
        return null;
      });
      store.atomically(() -> {
        log.appendRegistration("bob", key32(3), 8, key32(4));
        return null;
      });
      log.appendDeviceAdded("alice", 9, key32(5));
      log.appendDeviceRevoked("alice", 7, key32(2));
      log.appendKeyChange("alice", key32(6));
      log.appendDeviceAdded("alice", 10, key32(7)); // the identity entry is found behind it
      SignedTreeHead head = log.treeHead();
      assertThat(head.treeSize()).isEqualTo(8);
      head.verify(key.publicKey());

      KeyTransparency.ProvenLatest latest = log.latestIdentity("alice").orElseThrow();
      assertThat(latest.entry().kind()).isEqualTo(EntryKind.KEY_CHANGED);
      assertThat(latest.entry().key()).isEqualTo(key32(6));
      LogVerifier.verifyInclusion(latest.entry(), latest.proof(), latest.treeHead());

      KeyTransparency.ProvenHistory history = log.history("alice").orElseThrow();
      assertThat(history.entries()).hasSize(6);
      KeyHistory.KeyState state = KeyHistory.audit("alice", history.entries(),
          history.treeHead(), KeyHistory.ReRegistration.ALLOWED);
      assertThat(state.identityKey()).isEqualTo(key32(6));
      assertThat(state.devices()).containsOnlyKeys(9L, 10L);
      assertThat(log.latestIdentity("carol")).isEmpty();
      assertThat(log.history("carol")).isEmpty();
    }
  }

  @Test
  void aRepeatedRegistrationAppendsNothingAndAReRegistrationAfterDeletionDoes() {
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      log.appendRegistration("alice", key32(1), 1, key32(2));
      log.appendRegistration("alice", key32(1), 1, key32(2));
      assertThat(log.treeHead().treeSize()).isEqualTo(2);
      assertThatThrownBy(() -> log.appendRegistration("alice", key32(3), 2, key32(4)))
          .isInstanceOf(IllegalStateException.class);
      log.appendTombstone("alice");
      log.appendRegistration("alice", key32(3), 2, key32(4));
      assertThat(log.treeHead().treeSize()).isEqualTo(5);
      assertThat(log.latestIdentity("alice").orElseThrow().entry().key()).isEqualTo(key32(3));
    }
  }

  @Test
  void accountsFromBeforeTheLogAreBackfilledOnce() throws Exception {
    try (Store store = open()) {
      // two accounts registered by a server without key transparency
      var alice = store.accounts().register(UserName.of("alice"), key32(1),
          new NewDevice(key32(2), new byte[64]));
      store.accounts().register(UserName.of("bob"), key32(3), new NewDevice(key32(4), new byte[64]));
      store.accounts().revokeDevice(store.accounts().activeDevices(UserName.of("bob")).get(0).id());
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      assertThat(log.backfill(store)).isEqualTo(2);
      assertThat(log.backfill(store)).isZero();
      assertThat(log.treeHead().treeSize()).isEqualTo(3); // bob has no active device left
      KeyTransparency.ProvenHistory h = log.history("alice").orElseThrow();
      KeyHistory.KeyState state = KeyHistory.audit("alice", h.entries(), h.treeHead(),
          KeyHistory.ReRegistration.ALLOWED);
      assertThat(state.identityKey()).isEqualTo(key32(1));
      assertThat(state.devices()).containsOnlyKeys(alice.device().id().value());
      assertThat(log.latestIdentity("bob").orElseThrow().entry().key()).isEqualTo(key32(3));
    }
  }

  @Test
  void aRolledBackChangeLeavesNoEntry() {
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      assertThatThrownBy(() -> store.atomically(() -> {
        log.appendRegistration("alice", key32(1), 1, key32(2));
        throw new IllegalStateException("the change failed");
      })).hasMessageContaining("the change failed");
      assertThat(log.treeHead().treeSize()).isZero();
      assertThat(log.latestIdentity("alice")).isEmpty();
      log.appendTombstone("bob");
      assertThat(log.treeHead().treeSize()).isEqualTo(1);
      assertThat(log.latestIdentity("bob").orElseThrow().entry().sequence()).isZero();
    }
  }

  @Test
  void theTreeSurvivesARestartAndGrowsConsistently() throws Exception {
    SignedTreeHead before;
    TreeHeadHistory client = new TreeHeadHistory(key.publicKey());
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      for (int i = 0; i < 5; i++) {
        log.appendRegistration("user" + i, key32(i), i + 1, key32(100 + i));
      }
      before = log.treeHead();
      client.accept(before, null);
    }
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      assertThat(log.size()).isEqualTo(10);
      assertThat(log.treeHead().sameTree(before)).isTrue();
      log.appendTombstone("user0");
      SignedTreeHead after = log.treeHead();
      client.accept(after, log.consistency(before.treeSize(), after.treeSize()));
      assertThat(client.latest()).contains(after);
      assertThatThrownBy(() -> log.consistency(5, 12)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.consistency(6, 5)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void concurrentAppendsStayDense() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Store store = open()) {
      KeyTransparencyLog log = new KeyTransparencyLog(store.keyLog(), key, Clock.systemUTC());
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        done.add(pool.submit(() -> {
          log.appendTombstone("u" + n);
          log.treeHead();
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(log.treeHead().treeSize()).isEqualTo(64);
      for (int i = 0; i < 64; i++) {
        KeyTransparency.ProvenLatest l = log.latestIdentity("u" + i).orElseThrow();
        LogVerifier.verifyInclusion(l.entry(), l.proof(), l.treeHead());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
