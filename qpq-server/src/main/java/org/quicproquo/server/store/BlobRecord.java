package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the server knows of one blob.
 *
 * @param id the blob id
 * @param owner the user who created it (and whose quota it counts against)
 * @param size total bytes declared at creation
 * @param chunkSize bytes per chunk; the last chunk holds the remainder
 * @param chunkCount number of chunks, {@code ceil(size / chunkSize)}
 * @param received bitmap of stored chunks (bit {@code i % 8} of byte {@code i / 8})
 * @param receivedCount distinct chunks stored
 * @param finished whether the owner sealed it (then it is readable and immutable)
 * @param createdAt creation time
 * @param expiresAt when the sweeper deletes it
 */
public record BlobRecord(BlobId id, UserName owner, long size, int chunkSize, int chunkCount,
    byte[] received, int receivedCount, boolean finished, Instant createdAt, Instant expiresAt) {
  public BlobRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    received = received.clone();
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public byte[] received() {
    return received.clone();
  }

  /** Whether chunk {@code index} is stored. */
  public boolean has(int index) {
    return index >= 0 && index < chunkCount && (received[index >>> 3] >>> (index & 7) & 1) != 0;
  }

  /** The first chunk not stored, or {@code chunkCount} when all are. */
  public int firstMissing() {
    for (int i = 0; i < chunkCount; i++) {
      if (!has(i)) {
        return i;
      }
    }
    return chunkCount;
  }

  /** Byte length of chunk {@code index} (the last one may be shorter). */
  public int chunkLength(int index) {
    long start = (long) index * chunkSize;
    return (int) Math.min(chunkSize, size - start);
  }
}
