package org.quicproquo.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.quicproquo.server.store.BlobId;

/**
 * The bytes of blobs: one file per blob, {@code DATA/blobs/<hex id>}, chunk {@code i} at offset
 * {@code i * chunkSize}. Chunks are written with positional writes, so concurrent chunks of one
 * blob never interfere, and forced to disk before the index records them (a chunk the server
 * confirmed survives a crash).
 */
final class BlobFiles {
  private final Path dir;

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
   * Writes and forces one chunk; false if the blob's file is gone (deleted meanwhile).
   */
  boolean write(BlobId id, long offset, ByteBuffer data) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.WRITE)) {
      long pos = offset;
      while (data.hasRemaining()) {
        pos += ch.write(data, pos);
      }
      ch.force(false);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Reads {@code length} bytes at {@code offset}; empty if the file is gone or too short. */
  Optional<byte[]> read(BlobId id, long offset, int length) throws IOException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(length);
      long pos = offset;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          return Optional.empty();
        }
        pos += n;
      }
      return Optional.of(buf.array());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Deletes the blob's file if present. */
  void delete(BlobId id) {
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
