package org.quicproquo.bench.e2e;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.quicproquo.bench.Latencies;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.client.store.StoredMessage;

/**
 * Matches each incoming text line, as a receiving messenger's listener reports it, to the send
 * the benchmark recorded for the same text (every text is unique), and records the latency from
 * the send (a {@link System#nanoTime} stamp kept here, not the messages' millisecond fields) to
 * that callback. A message counts as delivered once every intended receiver has reported it.
 * Thread-safe: listeners run on each messenger's own thread.
 */
final class DeliveryTracker {
  /** One sent message still waiting for some receivers. */
  private static final class Pending {
    final long sentNanos;
    final Semaphore window;
    /** Indexed by messenger: true while that receiver has not reported the message. */
    final boolean[] waiting;
    int remaining;

    Pending(long sentNanos, Semaphore window, int population, int[] receivers) {
      this.sentNanos = sentNanos;
      this.window = window;
      this.waiting = new boolean[population];
      for (int r : receivers) {
        waiting[r] = true;
      }
      this.remaining = receivers.length;
    }
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final int population;
  private final AtomicLong unexpected = new AtomicLong();
  private Latencies latencies = new Latencies(1 << 16);
  private long deliveries;
  private long completed;
  private long lastDeliveryNanos;

  DeliveryTracker(int population) {
    this.population = population;
  }

  /** The listener of messenger number {@code receiver}. */
  MessengerListener listenerFor(int receiver) {
    return new MessengerListener() {
      @Override
      public void onMessage(Conversation conversation, StoredMessage message) {
        if (!message.outgoing() && message.kind() == StoredMessage.Kind.TEXT) {
          delivered(receiver, message.body(), System.nanoTime());
        }
      }
    };
  }

  /**
   * Records a send about to happen; {@code window} is released when every receiver has the
   * message. Call before the send, since delivery may be reported before the send call returns.
   */
  void expect(String text, int[] receivers, long sentNanos, Semaphore window) {
    if (pending.putIfAbsent(text, new Pending(sentNanos, window, population, receivers)) != null) {
      throw new IllegalArgumentException("text sent twice: " + text);
    }
  }

  /** Forgets a send that failed, releasing its window slot. */
  void cancel(String text) {
    Pending p = pending.remove(text);
    if (p != null) {
      p.window.release();
    }
  }

  private void delivered(int receiver, String text, long now) {
    Pending p = pending.get(text);
    if (p == null) {
      unexpected.incrementAndGet();
      return;
    }
    boolean done;
    synchronized (p) {
      if (receiver >= p.waiting.length || !p.waiting[receiver]) {
        unexpected.incrementAndGet();
        return;
      }
      p.waiting[receiver] = false;
      done = --p.remaining == 0;
    }
    synchronized (this) {
      latencies.record(now - p.sentNanos);
      deliveries++;
      lastDeliveryNanos = Math.max(lastDeliveryNanos, now);
      if (done) {
        completed++;
      }
    }
    if (done) {
      pending.remove(text);
      p.window.release();
    }
  }

  /** What was recorded since the last {@link #reset()}. */
  record Snapshot(Latencies latencies, long deliveries, long completed, long lastDeliveryNanos,
      int stillPending, long unexpected) {
  }

  /**
   * Takes the figures and starts afresh. Sends still pending are forgotten (counted in the
   * snapshot); if they arrive later they count as unexpected.
   */
  synchronized Snapshot reset() {
    Snapshot s = new Snapshot(latencies, deliveries, completed, lastDeliveryNanos,
        pending.size(), unexpected.getAndSet(0));
    pending.clear();
    latencies = new Latencies(1 << 16);
    deliveries = 0;
    completed = 0;
    lastDeliveryNanos = 0;
    return s;
  }

  int pendingCount() {
    return pending.size();
  }
}
