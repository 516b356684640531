package org.quicproquo.client.messenger;

import org.quicproquo.client.store.StoredMessage;

/**
 * What a {@link Messenger} reports as it syncs. Called on the messenger's own thread, in order;
 * return quickly and do not call back into the messenger from here.
 */
public interface MessengerListener {
  /** A new history line: an incoming message, a membership change, or this device's own send. */
  default void onMessage(Conversation conversation, StoredMessage message) {
  }

  /** A stored line changed: its author edited or deleted it (for everyone). */
  default void onUpdate(Conversation conversation, StoredMessage message) {
  }

  /** Someone added ({@code added}) or removed a reaction to a message. */
  default void onReaction(Conversation conversation, byte[] messageId, String sender,
      String emoji, boolean added) {
  }

  /** {@code reader} has read these messages. */
  default void onRead(Conversation conversation, String reader, java.util.List<byte[]> messageIds) {
  }

  /** {@code user} started ({@code typing}) or stopped typing. Not stored. */
  default void onTyping(Conversation conversation, String user, boolean typing) {
  }

  /** A conversation appeared (created, joined), changed (renamed, members) or was left. */
  default void onConversation(Conversation conversation) {
  }

  /** Something went wrong in the background (a message that could not be read, a lost link). */
  default void onError(String message) {
  }

  /**
   * A key-transparency check failed: evidence that the server misbehaved, or a contact's key
   * changed unexpectedly (the contact is now unverified). Show it loudly. Unlike the other
   * methods it may be called on any thread (the monitor's, or the caller's of an audit), and is
   * never deferred. By default it goes to {@link #onError} as one line.
   */
  default void onKeyTransparencyAlert(org.quicproquo.client.kt.KtAlert alert) {
    onError(alert.describe());
  }
}
