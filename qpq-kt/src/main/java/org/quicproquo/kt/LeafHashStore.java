package org.quicproquo.kt;

/**
 * Where a {@link MerkleLog} keeps its leaf hashes (level 0 of the tree), in append order. The log
 * holds every higher level in memory and rebuilds it from here when opened, so a server can back
 * this by a table (index, hash) and reopen a log after a restart.
 *
 * <p>Contract: {@link #append} must make the hash readable by {@link #get} at index
 * {@code size()} before returning; hashes are never changed or removed. Implementations need not
 * be thread-safe: a {@code MerkleLog} calls them from one thread at a time.
 */
public interface LeafHashStore {
  /** Number of leaf hashes stored. */
  long size();

  /** Stores {@code leafHash} (32 bytes) at index {@code size()}. The caller keeps ownership of the array. */
  void append(byte[] leafHash);

  /** The leaf hash at {@code index} (0 &lt;= index &lt; size()), as a fresh array. */
  byte[] get(long index);

  /** An empty store in memory (32 bytes per leaf in chunked arrays, no per-leaf objects). */
  static LeafHashStore inMemory() {
    return new HashArray();
  }
}
