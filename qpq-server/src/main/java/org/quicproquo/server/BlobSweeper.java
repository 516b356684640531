package org.quicproquo.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.quicproquo.server.store.BlobId;
import org.quicproquo.server.store.Store;

/**
 * Deletes blobs that expired, uploads left unfinished longer than
 * {@link BlobLimits#unfinishedRetention()}, and blobs of deleted users. The server cannot see which blobs are still referenced
 * (references travel inside MLS), so the expiry chosen at upload is what bounds a blob's life.
 * The record goes first, then the file: a crash in between leaves only an unreachable file.
 */
final class BlobSweeper {
  private static final int BATCH = 500;

  private final Store store;
  private final BlobFiles files;
  private final BlobLimits limits;
  private final Clock clock;

  BlobSweeper(Store store, BlobFiles files, BlobLimits limits, Clock clock) {
    this.store = store;
    this.files = files;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * One sweep; returns how many blobs were deleted. First makes chunks still pending durable
   * (uploads that paused or stopped before a sync), so they count after at most one interval.
   */
  int sweep() {
    try {
      files.syncAll(store.blobs());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant now = clock.instant();
    Instant unfinishedBefore = now.minus(limits.unfinishedRetention());
    int deleted = 0;
    while (true) {
      List<BlobId> stale = store.blobs().stale(now, unfinishedBefore, BATCH);
      for (BlobId id : stale) {
        if (store.blobs().delete(id)) {
          deleted++;
        }
        files.delete(id);
      }
      if (stale.size() < BATCH) {
        return deleted;
      }
    }
  }
}
