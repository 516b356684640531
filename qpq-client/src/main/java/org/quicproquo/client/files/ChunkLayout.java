package org.quicproquo.client.files;

/**
 * How a file of {@code plainSize} bytes is cut into chunks of {@code plainChunk} plaintext bytes
 * (format v1, docs/wire.md "File encryption"): {@code max(1, ceil(plainSize / plainChunk))} chunks,
 * the last holding the remainder (an empty file is one empty chunk), each encrypted to its length
 * plus a {@value #TAG_BYTES}-byte tag.
 */
record ChunkLayout(long plainSize, int plainChunk) {
  static final int TAG_BYTES = 16;
  /** Smallest plaintext chunk (the server's smallest chunk is 4 KiB of ciphertext). */
  static final int MIN_PLAIN_CHUNK = 4096 - TAG_BYTES;
  /** Largest plaintext chunk: 16 MiB. */
  static final int MAX_PLAIN_CHUNK = 16 << 20;

  ChunkLayout {
    if (plainSize < 0) {
      throw new IllegalArgumentException("negative file size");
    }
    if (plainChunk < MIN_PLAIN_CHUNK || plainChunk > MAX_PLAIN_CHUNK) {
      throw new IllegalArgumentException("plaintext chunk must be " + MIN_PLAIN_CHUNK + ".."
          + MAX_PLAIN_CHUNK + " bytes");
    }
    if (Math.max(1, (plainSize + plainChunk - 1) / plainChunk) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many chunks");
    }
  }

  int chunkCount() {
    return (int) Math.max(1, (plainSize + plainChunk - 1) / plainChunk);
  }

  int cipherChunk() {
    return plainChunk + TAG_BYTES;
  }

  long cipherSize() {
    return plainSize + (long) TAG_BYTES * chunkCount();
  }

  long plainOffset(int index) {
    return (long) index * plainChunk;
  }

  int plainLength(int index) {
    return (int) Math.min(plainChunk, plainSize - plainOffset(index));
  }

  boolean isLast(int index) {
    return index == chunkCount() - 1;
  }

  void checkIndex(int index) {
    if (index < 0 || index >= chunkCount()) {
      throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount());
    }
  }
}
