package org.quicproquo.kt;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only array of 32-byte hashes in fixed-size chunks: no object per hash (a million
 * hashes cost 32 MB, not ~90 MB of {@code byte[]} headers) and no whole-array copy when growing.
 * Not thread-safe.
 */
final class HashArray implements LeafHashStore {
  private static final int CHUNK_SHIFT = 12;
  private static final int CHUNK_HASHES = 1 << CHUNK_SHIFT;
  private static final int H = TreeHashes.HASH_LENGTH;

  private final List<byte[]> chunks = new ArrayList<>();
  private long size;

  @Override
  public long size() {
    return size;
  }

  @Override
  public void append(byte[] hash) {
    if (hash.length != H) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + hash.length);
    }
    int offset = (int) (size & (CHUNK_HASHES - 1));
    if (offset == 0) {
      chunks.add(new byte[CHUNK_HASHES * H]);
    }
    System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset * H, H);
    size++;
  }

  @Override
  public byte[] get(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("hash " + index + " of " + size);
    }
    byte[] out = new byte[H];
    int offset = (int) (index & (CHUNK_HASHES - 1));
    System.arraycopy(chunks.get((int) (index >>> CHUNK_SHIFT)), offset * H, out, 0, H);
    return out;
  }
}
