package org.quicproquo.client.files;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FileTransfer} works.
 *
 * @param plainChunkSize plaintext bytes per chunk (the server's chunk size is 16 more)
 * @param window chunks in flight at once (throughput on links with latency; memory is about
 *     {@code 3 * window} chunks)
 * @param maxAttempts how many times a transfer recovers from a lost connection before giving up
 * @param retryDelay pause before recovering (the client's reconnect adds its own backoff)
 * @param callTimeout a call not answered this long counts as a lost connection (a server that
 *     vanished without closing it)
 * @param expiresInSeconds lifetime asked for new blobs; 0 for the server's maximum
 */
public record TransferOptions(int plainChunkSize, int window, int maxAttempts,
    Duration retryDelay, Duration callTimeout, int expiresInSeconds) {
  public TransferOptions {
    new ChunkLayout(0, plainChunkSize); // validates the chunk size
    if (window < 1 || maxAttempts < 1 || expiresInSeconds < 0) {
      throw new IllegalArgumentException("window and maxAttempts must be positive");
    }
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** 1 MiB chunks, 8 in flight, 20 attempts 500 ms apart, 30 s call timeout, server's expiry. */
  public static TransferOptions defaults() {
    return new TransferOptions(FileEncryptor.DEFAULT_CHUNK, 8, 20, Duration.ofMillis(500),
        Duration.ofSeconds(30), 0);
  }
}
