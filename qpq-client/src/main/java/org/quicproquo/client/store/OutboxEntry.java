package org.quicproquo.client.store;

import java.util.List;

/**
 * A message accepted locally and not yet confirmed by the server. Sending writes it in the same
 * transaction as the group state that produced it, so a crash can delay a message but not lose it.
 *
 * @param id         local order
 * @param groupId    the conversation it belongs to
 * @param messageId  the server-side idempotency key (re-sending is a no-op at the server)
 * @param recipients device ids
 * @param payload    the MLSMessage bytes
 * @param commit     sent with {@code commit = true} (server sequencing)
 * @param ttlSeconds the server drops it unread after this long; 0 for never
 */
public record OutboxEntry(long id, byte[] groupId, byte[] messageId, List<Long> recipients,
    byte[] payload, boolean commit, long ttlSeconds) {
  public OutboxEntry {
    groupId = groupId.clone();
    messageId = messageId.clone();
    recipients = List.copyOf(recipients);
    payload = payload.clone();
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
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
