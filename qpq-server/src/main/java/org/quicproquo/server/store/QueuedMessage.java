package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a device's delivery queue.
 *
 * @param seq position in the device's queue: starts at 1, strictly increasing, never reused
 * @param id the client-chosen message id
 * @param payload the ciphertext (copied in and out)
 * @param enqueuedAt when it was enqueued (millisecond precision)
 * @param expiresAt when it is deleted unread, if it has a time to live
 */
public record QueuedMessage(long seq, MessageId id, byte[] payload, Instant enqueuedAt,
    Optional<Instant> expiresAt) {
  public QueuedMessage {
    Objects.requireNonNull(id, "id");
    payload = payload.clone();
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** A copy of the ciphertext. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueuedMessage m && seq == m.seq && id.equals(m.id)
        && Arrays.equals(payload, m.payload) && enqueuedAt.equals(m.enqueuedAt)
        && expiresAt.equals(m.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seq, id, Arrays.hashCode(payload), enqueuedAt, expiresAt);
  }

  @Override
  public String toString() {
    return "QueuedMessage[" + seq + ", " + id + ", " + payload.length + " bytes]";
  }
}
