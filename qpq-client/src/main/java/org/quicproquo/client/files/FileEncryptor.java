package org.quicproquo.client.files;

import java.security.SecureRandom;

/**
 * Encrypts a file chunk by chunk under a fresh single-use key (format v1, docs/wire.md "File
 * encryption"). Chunks are independent and the encryption is deterministic per (key, index), so a
 * resumed upload can re-encrypt any chunk from the file on disk; memory use is one chunk.
 * Thread-safe.
 */
public final class FileEncryptor {
  /** Default plaintext bytes per chunk: 1 MiB. */
  public static final int DEFAULT_CHUNK = 1 << 20;

  private final byte[] key;
  private final ChunkLayout layout;
  private final ChunkCipher cipher;

  private FileEncryptor(byte[] key, ChunkLayout layout) {
    this.key = key.clone();
    this.layout = layout;
    this.cipher = new ChunkCipher(key, layout);
  }

  /** A fresh 32-byte key for a file of {@code plainSize} bytes in chunks of {@code plainChunk}. */
  public static FileEncryptor create(SecureRandom random, long plainSize, int plainChunk) {
    byte[] key = new byte[ChunkCipher.KEY_BYTES];
    random.nextBytes(key);
    return new FileEncryptor(key, new ChunkLayout(plainSize, plainChunk));
  }

  /** Continues with a key chosen earlier (resuming an upload). */
  public static FileEncryptor withKey(byte[] key, long plainSize, int plainChunk) {
    return new FileEncryptor(key, new ChunkLayout(plainSize, plainChunk));
  }

  /** The file key (goes into the reference, inside MLS). */
  public byte[] key() {
    return key.clone();
  }

  /** Number of chunks (at least 1). */
  public int chunkCount() {
    return layout.chunkCount();
  }

  /** Bytes of one full encrypted chunk: the blob's chunk size. */
  public int cipherChunkSize() {
    return layout.cipherChunk();
  }

  /** Total encrypted bytes: the blob's size. */
  public long cipherSize() {
    return layout.cipherSize();
  }

  /** Plaintext bytes of chunk {@code index}. */
  public int plainLength(int index) {
    return layout.plainLength(index);
  }

  /** Plaintext offset of chunk {@code index} in the file. */
  public long plainOffset(int index) {
    return layout.plainOffset(index);
  }

  /** Encrypts chunk {@code index}, whose plaintext is {@code plain[offset, offset+length)}. */
  public byte[] encryptChunk(int index, byte[] plain, int offset, int length) {
    return cipher.seal(index, plain, offset, length);
  }

  /**
   * Encrypts chunk {@code index}, whose plaintext is {@code plain[offset, offset+length)}, into
   * {@code out[0, length + 16)}; returns that length.
   */
  public int encryptChunk(int index, byte[] plain, int offset, int length, byte[] out) {
    return cipher.seal(index, plain, offset, length, out);
  }
}
