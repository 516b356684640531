package org.quicproquo.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.store.DeviceId;

/**
 * Drives senders through {@link Messenger#sendTextAsync} (or, to compare, the blocking
 * {@link Messenger#sendText}) and waits until the {@link DeliveryTracker} has seen every message
 * at every receiver and the server's queues of the receivers are empty (each receiving SDK has
 * acknowledged). One platform thread per sender, which waits only for its window.
 */
final class LoadRunner {
  /** One sending messenger: into which conversation, and who must receive. */
  record Sender(int index, Conversation conversation, int[] receivers) {
  }

  /** The measured phase of one run. */
  record Outcome(int sent, long completed, long deliveries, double seconds, double p50Millis,
      double p99Millis, double meanSendCallMillis, double cpuMillisPerMessage,
      Map<String, Long> cpuNanosByThread, long undelivered, long unexpected) {
    double messagesPerSecond() {
      return completed / seconds;
    }

    double deliveriesPerSecond() {
      return deliveries / seconds;
    }
  }

  private final QpqServer server;
  private final Population population;
  private final DeliveryTracker tracker;
  private final Duration timeout;
  private final AtomicLong runIds = new AtomicLong();
  private final boolean syncSend;

  /**
   * @param syncSend send with the blocking {@code sendText} (each sender's messages encrypted and
   *     stored one transaction each) instead of {@code sendTextAsync}
   */
  LoadRunner(QpqServer server, Population population, DeliveryTracker tracker, Duration timeout,
      boolean syncSend) {
    this.server = server;
    this.population = population;
    this.tracker = tracker;
    this.timeout = timeout;
    this.syncSend = syncSend;
  }

  /**
   * Closed loop: every sender sends {@code warmup} messages (waited for, not measured), then
   * {@code count} messages, each sender keeping at most {@code window} of its messages undelivered.
   * Throughput is completed messages over the time from the start of the measured phase to the
   * last delivery callback.
   */
  Outcome closedLoop(List<Sender> senders, int warmup, int count, int window) throws Exception {
    if (warmup > 0) {
      phase(senders, warmup, window, null);
    }
    return phase(senders, count, window, null);
  }

  /**
   * Open loop at {@code rate} messages/s in total for {@code seconds}, spread round-robin over the
   * senders (after a warm-up second at the same rate, not measured). Latency runs from each
   * message's scheduled time, so a sender that falls behind schedule is charged for it.
   */
  Outcome paced(List<Sender> senders, double rate, double warmupSeconds, double seconds)
      throws Exception {
    if (warmupSeconds > 0) {
      phase(senders, (int) Math.ceil(rate * warmupSeconds / senders.size()), Integer.MAX_VALUE,
          rate);
    }
    return phase(senders, (int) Math.ceil(rate * seconds / senders.size()), Integer.MAX_VALUE,
        rate);
  }

  private Outcome phase(List<Sender> senders, int perSender, int window, Double rate)
      throws Exception {
    long run = runIds.incrementAndGet();
    tracker.reset();
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong sendCallNanos = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    long[] start = new long[1];
    List<Thread> threads = new ArrayList<>();
    int nSenders = senders.size();
    for (int s = 0; s < nSenders; s++) {
      Sender sender = senders.get(s);
      int slot = s;
      Semaphore inFlight = new Semaphore(window);
      Messenger m = population.messenger(sender.index());
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int seq = 0; seq < perSender; seq++) {
            long due = 0;
            if (rate != null) {
              // Message k of the whole run is due at start + k / rate; this sender has every
              // nSenders-th message.
              long k = (long) seq * nSenders + slot;
              due = start[0] + (long) (k * 1e9 / rate);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            }
            inFlight.acquire();
            String text = "r" + run + " u" + sender.index() + " #" + seq;
            long now = System.nanoTime();
            tracker.expect(text, sender.receivers(), rate != null ? due : now, inFlight);
            if (syncSend) {
              try {
                m.sendText(sender.conversation(), text);
              } catch (RuntimeException e) {
                tracker.cancel(text);
                throw e;
              }
              sendCallNanos.addAndGet(System.nanoTime() - now);
            } else {
              m.sendTextAsync(sender.conversation(), text).whenComplete((line, e) -> {
                if (e != null) {
                  tracker.cancel(text);
                  failure.compareAndSet(null, e);
                } else {
                  sendCallNanos.addAndGet(System.nanoTime() - now);
                }
              });
            }
            sent.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-sender-" + sender.index());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    long cpuStart = CpuByThread.processCpuNanos();
    CpuByThread cpuByThread = CpuByThread.now();
    start[0] = System.nanoTime();
    go.countDown();
    long deadline = start[0] + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a sender failed: " + failure.get().getMessage(),
          failure.get());
    }
    while (tracker.pendingCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    DeliveryTracker.Snapshot snap = tracker.reset();
    long cpu = CpuByThread.processCpuNanos() - cpuStart;
    Map<String, Long> byThread = cpuByThread.since();
    if (snap.stillPending() == 0) {
      awaitQueuesDrained(senders, deadline);
    }
    double seconds = (snap.lastDeliveryNanos() - start[0]) / 1e9;
    boolean any = snap.latencies().count() > 0;
    return new Outcome((int) sent.get(), snap.completed(), snap.deliveries(), seconds,
        any ? snap.latencies().percentile(50) / 1e6 : Double.NaN,
        any ? snap.latencies().percentile(99) / 1e6 : Double.NaN,
        sent.get() == 0 ? Double.NaN : sendCallNanos.get() / 1e6 / sent.get(),
        snap.completed() == 0 ? Double.NaN : cpu / 1e6 / snap.completed(), byThread,
        snap.stillPending(), snap.unexpected());
  }

  /** Waits until every receiver's server queue is empty (fetched, processed, acknowledged). */
  private void awaitQueuesDrained(List<Sender> senders, long deadline) throws Exception {
    for (Sender s : senders) {
      for (int r : s.receivers()) {
        DeviceId device = new DeviceId(population.messenger(r).deviceId());
        while (server.store().queue().length(device) > 0) {
          if (System.nanoTime() > deadline) {
            throw new TimeoutException("u" + r + "'s server queue still holds "
                + server.store().queue().length(device) + " message(s)");
          }
          Thread.sleep(5);
        }
      }
    }
  }
}
