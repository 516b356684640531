package org.quicproquo.client.files;

import java.util.Objects;

/**
 * The server's view of a blob ({@code blobStatus @14}), as reported: untrusted until the chunks
 * decrypt.
 *
 * @param size total bytes (ciphertext)
 * @param chunkSize bytes per chunk; the last holds the remainder
 * @param chunkCount number of chunks
 * @param chunksReceived distinct chunks the server holds
 * @param received bitmap of held chunks (bit {@code i % 8} of byte {@code i / 8})
 * @param finished whether the owner sealed the blob (only then is it readable by others)
 * @param expiresAtMillis when the server deletes it
 */
public record BlobStatus(long size, int chunkSize, int chunkCount, int chunksReceived,
    byte[] received, boolean finished, long expiresAtMillis) {
  public BlobStatus {
    received = Objects.requireNonNull(received, "received").clone();
  }

  @Override
  public byte[] received() {
    return received.clone();
  }

  /** Whether the server holds chunk {@code index}. */
  public boolean has(int index) {
    return index >= 0 && index < chunkCount && index / 8 < received.length
        && (received[index >>> 3] >>> (index & 7) & 1) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlobStatus b && size == b.size && chunkSize == b.chunkSize
        && chunkCount == b.chunkCount && chunksReceived == b.chunksReceived
        && java.util.Arrays.equals(received, b.received) && finished == b.finished
        && expiresAtMillis == b.expiresAtMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, chunkSize, chunkCount, chunksReceived,
        java.util.Arrays.hashCode(received), finished, expiresAtMillis);
  }
}
