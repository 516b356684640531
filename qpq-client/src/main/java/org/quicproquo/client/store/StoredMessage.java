package org.quicproquo.client.store;

/**
 * One line of a conversation's history as stored locally.
 *
 * @param conversation the conversation's MLS group id
 * @param messageId    the AppMessage id (16 bytes), or a local id for system lines
 * @param sender       user name of the author, or empty for system lines
 * @param sentAtMillis the author's clock (from the AppMessage)
 * @param receivedAtMillis this device's clock when stored
 * @param kind         what the line is
 * @param body         text, or a description for system and unsupported lines
 * @param outgoing     written by this account
 * @param replyTo      the message this one answers, or null
 * @param edited       the author changed the body since it was first stored
 * @param deleted      the author deleted it for everyone (the body is then empty)
 */
public record StoredMessage(byte[] conversation, byte[] messageId, String sender, long sentAtMillis,
    long receivedAtMillis, Kind kind, String body, boolean outgoing, byte[] replyTo,
    boolean edited, boolean deleted) {
  /** What a history line is. Codes are stored: never renumber. */
  public enum Kind {
    TEXT(1), SYSTEM(2), UNSUPPORTED(3),
    /** A file shared in the conversation; the body is "name (size)", the link is stored apart. */
    FILE(4);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind fromCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new LocalStoreException("unknown history line kind " + code);
    }
  }

  public StoredMessage {
    conversation = conversation.clone();
    messageId = messageId.clone();
    replyTo = replyTo == null ? null : replyTo.clone();
  }

  /** A line that is not a reply and was never edited or deleted. */
  public StoredMessage(byte[] conversation, byte[] messageId, String sender, long sentAtMillis,
      long receivedAtMillis, Kind kind, String body, boolean outgoing) {
    this(conversation, messageId, sender, sentAtMillis, receivedAtMillis, kind, body, outgoing,
        null, false, false);
  }

  @Override
  public byte[] replyTo() {
    return replyTo == null ? null : replyTo.clone();
  }

  /** Short id for display and for commands such as {@code /reply}: 4 bytes of the id in hex. */
  public String shortId() {
    return java.util.HexFormat.of().formatHex(messageId, 0, Math.min(4, messageId.length));
  }

  @Override
  public byte[] conversation() {
    return conversation.clone();
  }

  @Override
  public byte[] messageId() {
    return messageId.clone();
  }
}
