package org.quicproquo.client;

/** {@code enqueue}'s answer: entries newly queued and entries that were already there. */
public record EnqueueResult(int queued, int duplicates) {
}
