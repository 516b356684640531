package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One durable queue of ciphertexts per device. Enqueue is idempotent per (message id, recipient):
 * a message that is pending, or was acknowledged less than {@link StoreLimits#dedupeWindow()} ago,
 * is not queued again. When a call returns, its change is committed to stable storage.
 * Thread-safe.
 */
public interface DeliveryQueue {
  /**
   * Queues {@code payload} for every recipient in one transaction: either all recipients are
   * handled or none.
   *
   * @param id client-chosen id of the message
   * @param recipients recipient devices, without duplicates
   * @param payload the ciphertext
   * @param expiresAt when to delete it unread; empty for no expiry
   * @return which recipients got it now and which had it already
   * @throws UnknownDeviceException if a recipient does not exist or is revoked (nothing is queued)
   * @throws QuotaExceededException if a recipient's queue is full (nothing is queued)
   * @throws InvalidValueException if the payload is empty or too large, or the recipient list is
   *     empty, too long or has duplicates
   */
  Enqueued enqueue(MessageId id, List<DeviceId> recipients, byte[] payload,
      Optional<Instant> expiresAt);

  /**
   * Up to {@code limit} pending, unexpired entries of the device's queue with {@code seq >
   * afterSeq}, in queue order. Fetching does not remove anything.
   *
   * @param afterSeq 0 to start at the beginning
   * @return empty if there is nothing (or the device does not exist)
   * @throws InvalidValueException if {@code afterSeq < 0} or {@code limit} is outside
   *     1..{@link StoreLimits#maxFetch()}
   */
  List<QueuedMessage> fetch(DeviceId device, long afterSeq, int limit);

  /**
   * Deletes entries of this device's queue by message id, and remembers the ids for the dedupe
   * window; all in one transaction. Other devices' entries are never touched. An id that is
   * neither pending for this device nor remembered for it (acknowledged or expired within the
   * dedupe window) is ignored if no other device has it pending either (so a repeated ack is a
   * no-op), but refuses the whole call if another device has it pending: one cannot ack what was
   * never one's own.
   *
   * @return how many entries were deleted
   * @throws InvalidValueException if more than {@link StoreLimits#maxFetch()} ids are given
   * @throws NotRecipientException if an id is pending only for other devices (nothing deleted)
   */
  int ack(DeviceId device, Collection<MessageId> ids);

  /** Pending entries in the device's queue, expired ones not yet purged included. */
  int length(DeviceId device);

  /**
   * Deletes entries that expired at or before {@code now}, and forgets acknowledged ids older than
   * the dedupe window.
   *
   * @return how many queue entries were deleted
   */
  int purgeExpired(Instant now);
}
