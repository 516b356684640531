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
 */
public record StoredMessage(byte[] conversation, byte[] messageId, String sender, long sentAtMillis,
    long receivedAtMillis, Kind kind, String body, boolean outgoing) {
  /** What a history line is. Codes are stored: never renumber. */
  public enum Kind {
    TEXT(1), SYSTEM(2), UNSUPPORTED(3);

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
