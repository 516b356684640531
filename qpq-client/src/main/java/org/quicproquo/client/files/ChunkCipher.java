package org.quicproquo.client.files;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM per chunk (format v1). The key encrypts one file only, so the nonce can be the chunk
 * index (4 zero bytes, then the index as 8 big-endian bytes) without ever repeating. The
 * associated data binds the format label, the chunk size, the index and whether the chunk is the
 * last one: a chunk moved to another position, a file cut short after a full chunk, or chunks of a
 * differently cut file all fail to decrypt.
 */
final class ChunkCipher {
  static final int KEY_BYTES = 32;
  /** Plaintext bytes per {@code Cipher.update} call when sealing. */
  private static final int SLICE = 16 << 10;
  private static final byte[] LABEL = "qpq-file-v1".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeySpec key;
  private final ChunkLayout layout;

  ChunkCipher(byte[] key, ChunkLayout layout) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a file key has " + KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
    this.layout = layout;
  }

  byte[] seal(int index, byte[] plain, int offset, int length) {
    byte[] out = new byte[length + ChunkLayout.TAG_BYTES];
    seal(index, plain, offset, length, out);
    return out;
  }

  /** Seals into {@code out[0, length + TAG_BYTES)}; returns that length. */
  int seal(int index, byte[] plain, int offset, int length, byte[] out) {
    layout.checkIndex(index);
    if (length != layout.plainLength(index)) {
      throw new IllegalArgumentException("chunk " + index + " has " + layout.plainLength(index)
          + " bytes, not " + length);
    }
    if (out.length < length + ChunkLayout.TAG_BYTES) {
      throw new IllegalArgumentException("chunk " + index + " needs " + (length
          + ChunkLayout.TAG_BYTES) + " bytes of output, not " + out.length);
    }
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, index);
      // Same ciphertext as one doFinal, fed in slices: HotSpot swaps in the AES-CTR/GHASH
      // intrinsics only once the callers of the block loops are compiled, which takes thousands
      // of calls; with one call per 1 MiB chunk a fresh JVM encrypted its first few hundred MiB
      // at ~30 MiB/s instead of > 1 GiB/s.
      int n = 0;
      for (int from = 0; from < length; from += SLICE) {
        n += c.update(plain, offset + from, Math.min(SLICE, length - from), out, n);
      }
      n += c.doFinal(out, n);
      if (n != length + ChunkLayout.TAG_BYTES) {
        throw new IllegalStateException("AES-GCM wrote " + n + " bytes, not "
            + (length + ChunkLayout.TAG_BYTES));
      }
      return n;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  byte[] open(int index, byte[] sealed) {
    layout.checkIndex(index);
    byte[] out = new byte[Math.max(0, sealed.length - ChunkLayout.TAG_BYTES)];
    open(index, sealed, sealed.length, out);
    return out;
  }

  /** Decrypts {@code sealed[0, sealedLength)} into {@code out}; returns the plaintext length. */
  int open(int index, byte[] sealed, int sealedLength, byte[] out) {
    layout.checkIndex(index);
    int length = layout.plainLength(index);
    if (sealedLength != length + ChunkLayout.TAG_BYTES) {
      throw new FileIntegrityException("chunk " + index + " has " + sealedLength
          + " bytes, expected " + (length + ChunkLayout.TAG_BYTES));
    }
    if (sealedLength > sealed.length) {
      throw new IllegalArgumentException("sealedLength " + sealedLength + " > " + sealed.length);
    }
    if (out.length < length) {
      throw new IllegalArgumentException("chunk " + index + " needs " + length
          + " bytes of output, not " + out.length);
    }
    try {
      int n = init(Cipher.DECRYPT_MODE, index).doFinal(sealed, 0, sealedLength, out, 0);
      if (n != length) {
        throw new IllegalStateException("AES-GCM wrote " + n + " bytes, not " + length);
      }
      return n;
    } catch (AEADBadTagException e) {
      throw new FileIntegrityException("chunk " + index
          + " does not decrypt: tampered, misplaced, or the wrong key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private Cipher init(int mode, int index) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
    c.init(mode, key, new GCMParameterSpec(ChunkLayout.TAG_BYTES * 8, nonce));
    c.updateAAD(ByteBuffer.allocate(LABEL.length + 4 + 8 + 1).put(LABEL)
        .putInt(layout.plainChunk()).putLong(index).put((byte) (layout.isLast(index) ? 1 : 0))
        .array());
    return c;
  }
}
