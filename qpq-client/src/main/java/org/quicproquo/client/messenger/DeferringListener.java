package org.quicproquo.client.messenger;

import java.util.ArrayList;
import java.util.List;
import org.quicproquo.client.store.StoredMessage;

/**
 * Forwards to the application's listener, or — while a batch of incoming messages is being
 * stored in one transaction — holds the calls until that transaction has committed, so the
 * application is never told about something that then fails to be stored. Messenger thread only.
 */
final class DeferringListener implements MessengerListener {
  private final MessengerListener target;
  private List<Runnable> held;

  DeferringListener(MessengerListener target) {
    this.target = target;
  }

  void hold() {
    held = new ArrayList<>();
  }

  /** Delivers what was held, in order. */
  void release() {
    List<Runnable> calls = held;
    held = null;
    if (calls != null) {
      calls.forEach(Runnable::run);
    }
  }

  /** Forgets what was held (the transaction rolled back; the messages will come again). */
  void discard() {
    held = null;
  }

  private void call(Runnable r) {
    if (held != null) {
      held.add(r);
    } else {
      r.run();
    }
  }

  @Override
  public void onMessage(Conversation c, StoredMessage m) {
    call(() -> target.onMessage(c, m));
  }

  @Override
  public void onUpdate(Conversation c, StoredMessage m) {
    call(() -> target.onUpdate(c, m));
  }

  @Override
  public void onReaction(Conversation c, byte[] id, String sender, String emoji, boolean added) {
    call(() -> target.onReaction(c, id, sender, emoji, added));
  }

  @Override
  public void onRead(Conversation c, String reader, List<byte[]> ids) {
    call(() -> target.onRead(c, reader, ids));
  }

  @Override
  public void onTyping(Conversation c, String user, boolean typing) {
    call(() -> target.onTyping(c, user, typing));
  }

  @Override
  public void onConversation(Conversation c) {
    call(() -> target.onConversation(c));
  }

  @Override
  public void onError(String message) {
    call(() -> target.onError(message));
  }

  /** Never held: evidence against the server must not vanish with a rolled-back transaction. */
  @Override
  public void onKeyTransparencyAlert(org.quicproquo.client.kt.KtAlert alert) {
    target.onKeyTransparencyAlert(alert);
  }
}
