package org.quicproquo.client.messenger;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.quicproquo.client.store.StoredMessage;

/** A listener that keeps everything it is told, for assertions. */
class Recorder implements MessengerListener {
  final List<StoredMessage> messages = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(Conversation conversation, StoredMessage message) {
    messages.add(message);
  }

  @Override
  public void onError(String message) {
    errors.add(message);
  }

  List<String> texts() {
    return messages.stream().filter(m -> m.kind() == StoredMessage.Kind.TEXT && !m.outgoing())
        .map(StoredMessage::body).toList();
  }

  /** Waits (up to 20 s) until the received texts satisfy {@code p}. */
  void await(Predicate<List<String>> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!p.test(texts())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out; received " + texts() + ", errors " + errors);
      }
      Thread.sleep(20);
    }
  }
}
