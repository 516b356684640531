package org.quicproquo.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One application message of {@code enqueueBatch @29}: the parameters of {@code enqueue} without
 * {@code commit} (Commits are never batched).
 *
 * @param messageId  the server-side idempotency key (16 bytes)
 * @param recipients recipient device ids
 * @param payload    the ciphertext
 * @param ttlSeconds the server drops it unread after this long; 0 for never
 */
public record EnqueueItem(byte[] messageId, List<Long> recipients, byte[] payload,
    long ttlSeconds) {
  public EnqueueItem {
    messageId = messageId.clone();
    recipients = List.copyOf(recipients);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof EnqueueItem i && Arrays.equals(messageId, i.messageId)
        && recipients.equals(i.recipients) && Arrays.equals(payload, i.payload)
        && ttlSeconds == i.ttlSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(messageId), recipients, Arrays.hashCode(payload),
        ttlSeconds);
  }

  @Override
  public String toString() {
    return "EnqueueItem[" + recipients.size() + " recipients, " + payload.length + " bytes]";
  }
}
