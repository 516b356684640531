package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.client.store.OutboxEntry;

/** The outbox pump against a real store; the "server" records what it is sent. */
class OutboxPumpTest {
  private static final byte[] GROUP = {1, 2, 3};

  @TempDir
  Path dir;

  private LocalStore store;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger handOffs = new AtomicInteger();
  private final Semaphore handOff = new Semaphore(0);
  private OutboxPump pump;

  @BeforeEach
  void open() {
    store = LocalStore.open(dir.resolve("account.db"));
  }

  @AfterEach
  void close() {
    if (pump != null) {
      pump.close();
    }
    store.close();
  }

  private OutboxPump pump(OutboxPump.Enqueuer server) {
    pump = new OutboxPump(store, server, () -> {
      handOffs.incrementAndGet();
      handOff.release();
    }, () -> { });
    return pump;
  }

  private void add(String text, boolean commit) {
    store.addOutbox(GROUP, text.getBytes(StandardCharsets.UTF_8), List.of(7L),
        text.getBytes(StandardCharsets.UTF_8), commit);
  }

  private static String text(OutboxEntry e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void sendsEveryEntryInOrderAndRemovesItAfterTheServerTookIt() throws Exception {
    for (int i = 0; i < 100; i++) {
      add("m" + i, false);
    }
    pump(e -> sent.add(text(e))).wake();
    awaitTrue(() -> store.outbox().isEmpty());
    assertThat(sent).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(sent.get(i)).isEqualTo("m" + i);
    }
    assertThat(handOffs).hasValue(0);
  }

  @Test
  void stopsAtACommitAndHandsItToTheMessengerThread() throws Exception {
    add("a", false);
    add("commit", true);
    add("b", false);
    pump(e -> sent.add(text(e))).wake();
    assertThat(handOff.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sent).containsExactly("a");
    assertThat(store.outbox()).extracting(OutboxPumpTest::text).containsExactly("commit", "b");
  }

  @Test
  void aRefusedEntryStaysAndIsHandedOverWithEverythingAfterIt() throws Exception {
    add("a", false);
    add("refused", false);
    add("b", false);
    pump(e -> {
      if (text(e).equals("refused")) {
        throw new MessengerException("Could not send: no (QUOTA_EXCEEDED).");
      }
      sent.add(text(e));
    }).wake();
    assertThat(handOff.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sent).containsExactly("a");
    assertThat(store.outbox()).extracting(OutboxPumpTest::text).containsExactly("refused", "b");
  }

  @Test
  void neverSendsWhileTheMessengersOwnFlushHoldsTheLock() throws Exception {
    add("a", false);
    OutboxPump p = pump(e -> sent.add(text(e)));
    p.lock().lock();
    try {
      p.wake();
      Thread.sleep(200);
      assertThat(sent).isEmpty();
    } finally {
      p.lock().unlock();
    }
    awaitTrue(() -> store.outbox().isEmpty());
    assertThat(sent).containsExactly("a");
  }
}
