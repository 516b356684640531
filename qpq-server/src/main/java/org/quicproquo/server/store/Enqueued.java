package org.quicproquo.server.store;

import java.util.List;
import java.util.Map;

/**
 * The outcome of an enqueue, so the caller can push "new messages" events (after the call
 * returned, that is after commit) only to devices that really got something new.
 *
 * @param queued recipients whose queue received the message now
 * @param duplicates recipients that already had it (pending or acknowledged within the dedupe
 *     window); nothing was written for them
 * @param lengths queue length of each {@code queued} recipient right after this enqueue (what
 *     the push event tells it, without reading the queue again per recipient); may be empty when
 *     the store does not know it
 * @param seqs the queue position ({@code seq}) the message got in each {@code queued}
 *     recipient's queue, so the push can carry the entry as fetch would return it; may be empty
 *     when the store does not know it (then the push carries no entries)
 * @param enqueuedAtMillis the entry's {@code enqueuedAt} (as fetch returns it)
 */
public record Enqueued(List<DeviceId> queued, List<DeviceId> duplicates,
    Map<DeviceId, Integer> lengths, Map<DeviceId, Long> seqs, long enqueuedAtMillis) {
  public Enqueued {
    queued = List.copyOf(queued);
    duplicates = List.copyOf(duplicates);
    lengths = Map.copyOf(lengths);
    seqs = Map.copyOf(seqs);
  }

  /** An outcome without queue lengths or positions. */
  public Enqueued(List<DeviceId> queued, List<DeviceId> duplicates) {
    this(queued, duplicates, Map.of(), Map.of(), 0);
  }
}
