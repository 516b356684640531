package org.quicproquo.client;

/** One entry of this device's queue, as {@code fetch} returns it. */
public record Envelope(long seq, byte[] messageId, byte[] payload, long enqueuedAtMillis) {
  public Envelope {
    messageId = messageId.clone();
    payload = payload.clone();
  }

  @Override
  public byte[] messageId() {
    return messageId.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
