package org.quicproquo.client.messenger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.quicproquo.client.store.StoredMessage;

/**
 * Texts handed to {@link Messenger#sendTextAsync} that the messenger thread has not taken yet.
 * Any thread adds; the messenger thread takes them in the order they were added, many at a time,
 * so they are encrypted and stored in one local transaction (one state save per conversation
 * instead of one per message).
 */
final class PendingTexts {
  /** One text to send and the future its caller holds. */
  record Text(Conversation conversation, String text, CompletableFuture<StoredMessage> done) {
  }

  private final ConcurrentLinkedQueue<Text> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * Adds a text.
   *
   * @return true if no drain is scheduled: the caller schedules one
   */
  boolean add(Text t) {
    queue.add(t);
    return schedule();
  }

  /**
   * Called by a drain before it takes anything: a text added from now on schedules another drain
   * (which may find nothing left, which is harmless), so none is left behind.
   */
  void draining() {
    scheduled.set(false);
  }

  /** Whether any text is waiting. */
  boolean waiting() {
    return !queue.isEmpty();
  }

  /**
   * Marks a drain as scheduled.
   *
   * @return false if one already is
   */
  boolean schedule() {
    return scheduled.compareAndSet(false, true);
  }

  /** The next texts in order, at most {@code max}; empty when none is waiting. */
  List<Text> take(int max) {
    List<Text> out = new ArrayList<>();
    for (Text t; out.size() < max && (t = queue.poll()) != null; ) {
      out.add(t);
    }
    return out;
  }

  /** Fails every text still waiting (the messenger is closing). */
  void failAll(String reason) {
    for (Text t; (t = queue.poll()) != null; ) {
      t.done().completeExceptionally(new MessengerException(reason));
    }
  }
}
