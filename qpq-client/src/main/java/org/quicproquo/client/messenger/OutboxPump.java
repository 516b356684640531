package org.quicproquo.client.messenger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.client.store.OutboxEntry;

/**
 * Sends the durable outbox's plain messages on a thread of its own, so the messenger thread
 * encrypts and stores the next message while the previous one travels (before, the messenger
 * thread waited for every enqueue, and every send and sync queued behind that wait).
 *
 * <p>What stays as it was: the outbox is read only after the transaction that added an entry
 * committed (the store's transactions hold its lock), so a ciphertext never leaves before its
 * entry and its MLS state are durable; entries leave in outbox order, one call at a time, so the
 * server queues them in the order they were written; an entry is removed only after the server
 * accepted it (after a crash it is sent again and the server drops the duplicate by message id).
 *
 * <p>What changed for throughput: a run of consecutive plain entries leaves in one
 * {@code enqueueBatch} call (one server transaction, one fsync, one round trip) instead of one
 * call per entry. The batch is all or nothing at the server, so a refused run is handed to the
 * messenger thread whole, as a refused single entry was.
 *
 * <p>What it leaves to the messenger thread: a Commit (merging it changes the in-memory group)
 * and every failure (offline, refused recipients, refused messages). It stops at such an entry
 * and calls {@code handOff}, which runs the messenger's own flush from that entry on. The pump
 * and that flush never run at once: both hold {@link #lock()} while sending.
 */
final class OutboxPump implements AutoCloseable {
  /**
   * Sends a run of consecutive plain entries, in order, and waits for the server; throws when
   * the server did not accept them (then none of them was queued).
   */
  @FunctionalInterface
  interface Enqueuer {
    void send(List<OutboxEntry> run);
  }

  /** Entries removed per local transaction. */
  private static final int REMOVE_BATCH = 64;

  /** Most entries per call: the server's bound on enqueueBatch. */
  static final int MAX_BATCH_ITEMS = NodeClient.MAX_BATCH_ITEMS;

  /** Most recipients summed over the entries of one call (the server's bound). */
  static final int MAX_BATCH_RECIPIENTS = NodeClient.MAX_BATCH_RECIPIENTS;

  /**
   * Most request bytes per call beyond a single entry: a lone entry already has to fit the
   * server's frame limit (a payload is at most 1 MiB), so a batch of this size fits it too.
   */
  static final long MAX_BATCH_BYTES = 1 << 20;

  private final LocalStore store;
  private final Enqueuer enqueuer;
  private final Runnable handOff;
  private final Runnable accepted;
  private final ReentrantLock sending = new ReentrantLock();
  private final Object signal = new Object();
  private final Thread thread;
  private boolean woken;
  private boolean started;
  private volatile boolean closed;

  /**
   * @param store    the account's store (its outbox)
   * @param enqueuer sends one entry, waiting for the server's answer
   * @param handOff  asks the messenger thread to flush (a Commit or a failure is next)
   * @param accepted called after the server accepted entries (the messenger is online)
   */
  OutboxPump(LocalStore store, Enqueuer enqueuer, Runnable handOff, Runnable accepted) {
    this.store = store;
    this.enqueuer = enqueuer;
    this.handOff = handOff;
    this.accepted = accepted;
    this.thread = new Thread(this::loop, "qpq-outbox");
    thread.setDaemon(true);
  }

  /** Held by whoever sends outbox entries: the pump, or the messenger's own flush. */
  ReentrantLock lock() {
    return sending;
  }

  /** Asks the pump to send what the outbox holds (coalesces with a pending request). */
  void wake() {
    synchronized (signal) {
      if (closed) {
        return;
      }
      if (!started) {
        // Started on first use, so a messenger that never sends (or fails to open) has none.
        started = true;
        thread.start();
      }
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (!closed) {
      synchronized (signal) {
        while (!woken && !closed) {
          try {
            signal.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
      if (closed) {
        return;
      }
      try {
        if (pumpOnce()) {
          handOff.run();
        }
      } catch (RuntimeException e) {
        // The store or the connection is closing, or the store failed: the messenger's flush
        // reports it (and the entries stay in the outbox).
        if (!closed) {
          handOff.run();
        }
      }
    }
  }

  /** Sends leading plain entries; true if an entry needs the messenger thread. */
  private boolean pumpOnce() {
    sending.lock();
    try {
      List<Long> sent = new ArrayList<>();
      try {
        List<OutboxEntry> run = new ArrayList<>();
        long bytes = 0;
        int recipients = 0;
        for (OutboxEntry e : store.outbox()) {
          if (closed) {
            return false;
          }
          if (e.commit()) {
            // The run before it leaves first; the Commit (or the run's failure) is the
            // messenger thread's either way.
            sendRun(run, sent);
            return true;
          }
          long size = weight(e);
          if (!run.isEmpty() && (run.size() >= MAX_BATCH_ITEMS || bytes + size > MAX_BATCH_BYTES
              || recipients + e.recipients().size() > MAX_BATCH_RECIPIENTS)) {
            if (!sendRun(run, sent)) {
              return true;
            }
            bytes = 0;
            recipients = 0;
          }
          run.add(e);
          bytes += size;
          recipients += e.recipients().size();
        }
        return !sendRun(run, sent);
      } finally {
        remove(sent);
      }
    } finally {
      sending.unlock();
    }
  }

  /**
   * Sends a run of consecutive plain entries in one call and clears it; false if the server did
   * not accept it (nothing of it was queued: batches are all or nothing).
   */
  private boolean sendRun(List<OutboxEntry> run, List<Long> sent) {
    if (run.isEmpty()) {
      return true;
    }
    try {
      enqueuer.send(List.copyOf(run));
    } catch (RuntimeException ex) {
      return false;
    }
    run.forEach(e -> sent.add(e.id()));
    run.clear();
    if (sent.size() >= REMOVE_BATCH) {
      remove(sent);
    }
    return true;
  }

  /** The bytes an entry adds to a batch request, roughly (payload, ids, framing). */
  private static long weight(OutboxEntry e) {
    return e.payload().length + 8L * e.recipients().size() + 64;
  }

  private void remove(List<Long> sent) {
    if (sent.isEmpty()) {
      return;
    }
    // One transaction for the lot: if it is lost in a crash they are sent again and the server
    // drops the duplicates by message id.
    store.inTransaction(() -> {
      sent.forEach(store::removeOutbox);
      return null;
    });
    sent.clear();
    accepted.run();
  }

  /** Stops the pump after the entry it is sending (if any); idempotent. */
  @Override
  public void close() {
    boolean running;
    synchronized (signal) {
      closed = true;
      running = started;
      signal.notifyAll();
    }
    if (running && Thread.currentThread() != thread) {
      // A send waiting for an answer on the closed connection gives up at once (the entry
      // stays in the outbox).
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
