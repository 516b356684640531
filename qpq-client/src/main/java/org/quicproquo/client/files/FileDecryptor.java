package org.quicproquo.client.files;

/**
 * Decrypts and verifies chunks of a file encrypted by {@link FileEncryptor}. The chunk size comes
 * from the server (untrusted): it is bound into every chunk's associated data, so a wrong one
 * makes decryption fail rather than produce wrong bytes. Thread-safe.
 */
public final class FileDecryptor {
  private final ChunkLayout layout;
  private final ChunkCipher cipher;

  /**
   * @param key the file key from the reference
   * @param plainSize the file size from the reference
   * @param cipherChunkSize the blob's chunk size as the server reports it
   * @throws FileIntegrityException if that chunk size cannot belong to format v1
   */
  public FileDecryptor(byte[] key, long plainSize, int cipherChunkSize) {
    int plainChunk = cipherChunkSize - ChunkLayout.TAG_BYTES;
    if (plainChunk < ChunkLayout.MIN_PLAIN_CHUNK || plainChunk > ChunkLayout.MAX_PLAIN_CHUNK) {
      throw new FileIntegrityException("the server reports a chunk size of " + cipherChunkSize
          + " bytes, which no qpq client uses");
    }
    this.layout = new ChunkLayout(plainSize, plainChunk);
    this.cipher = new ChunkCipher(key, layout);
  }

  /** Number of chunks. */
  public int chunkCount() {
    return layout.chunkCount();
  }

  /** Total encrypted bytes the blob must have. */
  public long cipherSize() {
    return layout.cipherSize();
  }

  /** Plaintext bytes per full chunk. */
  public int plainChunkSize() {
    return layout.plainChunk();
  }

  /** Plaintext offset of chunk {@code index}. */
  public long plainOffset(int index) {
    return layout.plainOffset(index);
  }

  /**
   * The plaintext of chunk {@code index}.
   *
   * @throws FileIntegrityException if it does not verify at that position under the key
   */
  public byte[] decryptChunk(int index, byte[] sealed) {
    return cipher.open(index, sealed);
  }

  /**
   * Decrypts chunk {@code index}, held in {@code sealed[0, sealedLength)}, into {@code out}
   * (which must hold at least the chunk's plaintext, at most {@link #plainChunkSize()} bytes) and
   * returns its length. On failure {@code out} may hold unverified bytes: use none of them.
   *
   * @throws FileIntegrityException if it does not verify at that position under the key
   */
  public int decryptChunk(int index, byte[] sealed, int sealedLength, byte[] out) {
    return cipher.open(index, sealed, sealedLength, out);
  }
}
