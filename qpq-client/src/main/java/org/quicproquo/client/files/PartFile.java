package org.quicproquo.client.files;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file a download writes its verified plaintext into ({@code TARGET.part}), chunk by chunk at
 * each chunk's offset.
 *
 * <p>Whole chunks of a large file bypass the page cache (Linux {@code O_DIRECT}, through a
 * block-aligned direct buffer) when the file system allows it and the chunk size is a multiple of
 * its block size; everything else (the last, partial chunk; small files; file systems without
 * direct I/O such as tmpfs) is written through the page cache. Why: a download writes data that
 * nobody reads back soon, and filling the page cache with it cost more CPU than decrypting and
 * hashing it together (fresh page-cache pages were ~2 ms per MiB on the benchmark machine, a
 * recycled aligned buffer ~0.2 ms), and it left the whole file dirty for one long {@code fsync} at
 * the end. Direct writes reach the device as they happen, so the final {@link #force()} has
 * little left to do. If a direct write fails, the file falls back to buffered writes for good.
 *
 * <p>Memory: one direct buffer of one plaintext chunk while direct I/O is in use. Not
 * thread-safe (one download writes it).
 */
final class PartFile implements AutoCloseable {
  /** Files smaller than this are written through the page cache only. */
  static final long DIRECT_MIN_BYTES = 4L << 20;

  private final FileChannel channel;
  private FileChannel direct;
  private ByteBuffer aligned;
  private int block;

  private PartFile(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Opens (creating if needed) {@code path} for a file of {@code fileSize} bytes in chunks of
   * {@code plainChunk} bytes.
   */
  static PartFile open(Path path, long fileSize, int plainChunk) throws IOException {
    PartFile f = new PartFile(FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE));
    if (fileSize >= DIRECT_MIN_BYTES) {
      f.tryDirect(path, plainChunk);
    }
    return f;
  }

  private void tryDirect(Path path, int plainChunk) {
    try {
      long size = Files.getFileStore(path).getBlockSize();
      if (size < 512 || size > (1 << 16) || plainChunk % size != 0) {
        return;
      }
      direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
      block = (int) size;
      aligned = ByteBuffer.allocateDirect(plainChunk + block).alignedSlice(block);
    } catch (IOException | UnsupportedOperationException e) {
      // no direct I/O here (tmpfs, other platforms): the page cache it is
      dropDirect();
    }
  }

  /** Whether whole chunks currently bypass the page cache. */
  boolean isDirect() {
    return direct != null;
  }

  /** Current length of the file. */
  long size() throws IOException {
    return channel.size();
  }

  /** Cuts the file to {@code length} bytes. */
  void truncate(long length) throws IOException {
    channel.truncate(length);
  }

  /** The buffered channel, for reading back what was written. */
  FileChannel reader() {
    return channel;
  }

  /** Writes {@code data[0, length)} at {@code position}. */
  void write(byte[] data, int length, long position) throws IOException {
    if (direct != null && length > 0 && length % block == 0 && position % block == 0
        && length <= aligned.capacity()) {
      aligned.clear().put(data, 0, length).flip();
      try {
        writeFully(direct, aligned, position);
        return;
      } catch (IOException e) {
        // some file systems accept O_DIRECT at open and refuse it at write: stop using it
        dropDirect();
      }
    }
    writeFully(channel, ByteBuffer.wrap(data, 0, length), position);
  }

  /** Forces content and metadata to the device (covers the direct writes too: one inode). */
  void force() throws IOException {
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    try {
      dropDirect();
    } finally {
      channel.close();
    }
  }

  private void dropDirect() {
    if (direct != null) {
      try {
        direct.close();
      } catch (IOException e) {
        // nothing was pending on it: direct writes are not buffered
      }
    }
    direct = null;
    aligned = null;
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }
}
