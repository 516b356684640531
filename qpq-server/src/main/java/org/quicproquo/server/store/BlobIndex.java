package org.quicproquo.server.store;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Blob metadata (the bytes are files the server keeps beside the database). Each method is one
 * transaction.
 */
public interface BlobIndex {
  /**
   * Records a new, empty blob owned by {@code owner}.
   *
   * @param maxUserBytes the owner's total (sizes of all their blobs, finished or not) may not
   *     exceed this
   * @throws QuotaExceededException ({@code BLOB_STORAGE}) if it would; nothing is written
   */
  void create(BlobId id, UserName owner, long size, int chunkSize, int chunkCount,
      Instant expiresAt, long maxUserBytes);

  /** The blob, if it exists. */
  Optional<BlobRecord> find(BlobId id);

  /**
   * Marks the chunks set in {@code chunks} as stored in an unfinished blob (one transaction; the
   * caller has forced their bytes to disk); returns the blob afterwards, or empty if there is no
   * unfinished blob with that id.
   *
   * @throws InvalidValueException if a chunk index is outside the blob; nothing is written
   */
  Optional<BlobRecord> markReceived(BlobId id, BitSet chunks);

  /** Seals a blob whose chunks are all stored; true if it is (now or already) finished. */
  boolean finish(BlobId id);

  /** Deletes the blob's record; true if there was one. */
  boolean delete(BlobId id);

  /** Ids of every blob of {@code owner}, finished or not. */
  List<BlobId> ownedBy(UserName owner);

  /** Bytes of all blobs of {@code owner}. */
  long bytesOf(UserName owner);

  /**
   * Ids of blobs that expired at {@code now}, or that are still unfinished although created
   * before {@code unfinishedBefore}, or whose owner was deleted: the sweeper deletes them. At
   * most {@code limit}.
   */
  List<BlobId> stale(Instant now, Instant unfinishedBefore, int limit);
}
