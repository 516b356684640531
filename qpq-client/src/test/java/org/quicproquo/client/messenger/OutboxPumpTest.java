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
  /** Size of each call the "server" got. */
  private final List<Integer> calls = new CopyOnWriteArrayList<>();
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

  /** A server that takes every run whole and records it. */
  private OutboxPump.Enqueuer accepting() {
    return run -> {
      calls.add(run.size());
      run.forEach(e -> sent.add(text(e)));
    };
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
    pump(accepting()).wake();
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
    add("b", false);
    add("commit", true);
    add("c", false);
    pump(accepting()).wake();
    assertThat(handOff.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sent).containsExactly("a", "b");
    assertThat(calls).containsExactly(2);
    assertThat(store.outbox()).extracting(OutboxPumpTest::text).containsExactly("commit", "c");
  }

  @Test
  void aRefusedRunStaysWholeAndIsHandedOverWithEverythingAfterIt() throws Exception {
    add("a", false);
    add("refused", false);
    add("b", false);
    add("commit", true);
    add("c", false);
    pump(run -> {
      calls.add(run.size());
      if (run.stream().anyMatch(e -> text(e).equals("refused"))) {
        // enqueueBatch is all or nothing: the server queued none of the run
        throw new MessengerException("Could not send: item 1: no (QUOTA_EXCEEDED).");
      }
      run.forEach(e -> sent.add(text(e)));
    }).wake();
    assertThat(handOff.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sent).isEmpty();
    assertThat(calls).containsExactly(3);
    assertThat(store.outbox()).extracting(OutboxPumpTest::text)
        .containsExactly("a", "refused", "b", "commit", "c");
  }

  @Test
  void runsAreBoundedByItemsAndBytesAndKeepOrder() throws Exception {
    int n = OutboxPump.MAX_BATCH_ITEMS * 2 + 10;
    for (int i = 0; i < n; i++) {
      add("m" + i, false);
    }
    pump(accepting()).wake();
    awaitTrue(() -> store.outbox().isEmpty());
    assertThat(sent).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(sent.get(i)).isEqualTo("m" + i);
    }
    assertThat(calls).allSatisfy(c -> assertThat(c).isBetween(1, OutboxPump.MAX_BATCH_ITEMS));
    assertThat(calls.size()).isLessThanOrEqualTo(6);

    calls.clear();
    sent.clear();
    String big = "x".repeat(400_000);
    for (int i = 0; i < 5; i++) {
      add(i + big, false);
    }
    pump.wake();
    awaitTrue(() -> store.outbox().isEmpty());
    assertThat(sent).extracting(t -> t.charAt(0)).containsExactly('0', '1', '2', '3', '4');
    // 400 KB each: two fit the 1 MiB budget, a third does not
    assertThat(calls).containsExactly(2, 2, 1);
  }

  @Test
  void neverSendsWhileTheMessengersOwnFlushHoldsTheLock() throws Exception {
    add("a", false);
    OutboxPump p = pump(accepting());
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
