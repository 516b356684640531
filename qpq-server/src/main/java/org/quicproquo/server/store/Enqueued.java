package org.quicproquo.server.store;

import java.util.List;

/**
 * The outcome of an enqueue, so the caller can push "new messages" events (after the call
 * returned, that is after commit) only to devices that really got something new.
 *
 * @param queued recipients whose queue received the message now
 * @param duplicates recipients that already had it (pending or acknowledged within the dedupe
 *     window); nothing was written for them
 */
public record Enqueued(List<DeviceId> queued, List<DeviceId> duplicates) {
  public Enqueued {
    queued = List.copyOf(queued);
    duplicates = List.copyOf(duplicates);
  }
}
