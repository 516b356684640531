package org.quicproquo.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quicproquo.server.store.BlobId;
import org.quicproquo.server.store.BlobIndex;

/**
 * The bytes of blobs: one file per blob, {@code DATA/blobs/<hex id>}, chunk {@code i} at offset
 * {@code i * chunkSize}. Chunks are written with positional writes, so concurrent chunks of one
 * blob never interfere.
 *
 * <p>Durability is batched (group commit): a written chunk is first only <em>pending</em>; a
 * {@link #sync} forces the file to disk once and only then records every chunk pending before
 * the force in the {@link BlobIndex}, in one transaction. The index therefore never names a chunk
 * that a crash could lose, and {@code blobStatus} (which syncs first) reports only chunks on disk.
 * A crash loses at most the pending chunks, which the client's resume sends again. Forcing each
 * chunk on its own cost one file fsync and one database fsync per chunk, which capped uploads far
 * below the link rate. Thread-safe.
 */
final class BlobFiles {
  /**
   * Pending bytes of one blob after which a {@code putChunk} syncs at once: bounds what a crash
   * can cost an upload and the memory of pending marks, while amortising each fsync over many
   * chunks.
   */
  static final long SYNC_BYTES = 32L << 20;

  private final Path dir;
  /** Chunks written but not yet forced and indexed, per blob; drained by {@link #sync}. */
  private final ConcurrentHashMap<BlobId, BitSet> pending = new ConcurrentHashMap<>();

  BlobFiles(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.dir = dir;
  }

  /** Creates the (empty) file of a new blob. */
  void create(BlobId id) throws IOException {
    Files.deleteIfExists(path(id));
    Files.createFile(path(id));
  }

  /**
   * Writes chunk {@code index} at {@code offset} (not yet forced) and marks it pending; returns
   * a copy of the blob's pending chunks afterwards, or null if the blob's file is gone (deleted
   * meanwhile).
   */
  BitSet write(BlobId id, int index, long offset, ByteBuffer data) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE)) {
      long pos = offset;
      while (data.hasRemaining()) {
        pos += ch.write(data, pos);
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    // only after the write returned: a sync that drains this index covers its bytes
    BitSet now = pending.compute(id, (k, v) -> {
      BitSet s = v == null ? new BitSet() : v;
      synchronized (s) {
        s.set(index);
      }
      return s;
    });
    synchronized (now) {
      return (BitSet) now.clone();
    }
  }

  /**
   * Makes the blob's pending chunks durable: takes them, forces the file, then records them in
   * {@code index} (one transaction). Chunks written while this runs stay pending for the next
   * sync. A blob deleted meanwhile is skipped.
   *
   * @throws IOException if the force fails; the taken chunks are then simply not recorded (the
   *     client sends them again after {@code blobStatus})
   */
  void sync(BlobId id, BlobIndex index) throws IOException {
    BitSet taken = pending.remove(id);
    if (taken == null || taken.isEmpty()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE)) {
      ch.force(false);
    } catch (NoSuchFileException e) {
      return;
    }
    index.markReceived(id, taken);
  }

  /** {@link #sync} for every blob with pending chunks (the sweeper's periodic pass). */
  void syncAll(BlobIndex index) throws IOException {
    for (BlobId id : Set.copyOf(pending.keySet())) {
      sync(id, index);
    }
  }

  /**
   * Reads {@code buf.remaining()} bytes at {@code offset} into {@code buf}; false if the file is
   * gone or too short.
   */
  boolean read(BlobId id, long offset, ByteBuffer buf) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ)) {
      long pos = offset;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          return false;
        }
        pos += n;
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Deletes the blob's file if present, and forgets its pending chunks. */
  void delete(BlobId id) {
    pending.remove(id);
    try {
      Files.deleteIfExists(path(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path path(BlobId id) {
    return dir.resolve(id.hex());
  }
}
