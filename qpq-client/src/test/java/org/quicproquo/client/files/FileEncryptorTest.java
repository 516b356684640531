package org.quicproquo.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FileEncryptorTest {
  private static final int CHUNK = ChunkLayout.MIN_PLAIN_CHUNK;
  private final SecureRandom random = new SecureRandom();

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void geometryOfEmptyExactAndOddSizes() {
    FileEncryptor empty = FileEncryptor.create(random, 0, CHUNK);
    assertThat(empty.chunkCount()).isEqualTo(1);
    assertThat(empty.cipherSize()).isEqualTo(16);
    FileEncryptor exact = FileEncryptor.create(random, 2L * CHUNK, CHUNK);
    assertThat(exact.chunkCount()).isEqualTo(2);
    assertThat(exact.cipherSize()).isEqualTo(2L * (CHUNK + 16));
    FileEncryptor odd = FileEncryptor.create(random, 2L * CHUNK + 5, CHUNK);
    assertThat(odd.chunkCount()).isEqualTo(3);
    assertThat(odd.plainLength(2)).isEqualTo(5);
    assertThat(odd.cipherSize()).isEqualTo(2L * CHUNK + 5 + 3 * 16);
    assertThat(empty.key()).hasSize(32).isNotEqualTo(exact.key());
  }

  @Test
  void chunksRoundTripAndAreDeterministicPerKeyAndIndex() {
    byte[] file = bytes(2 * CHUNK + 77);
    FileEncryptor enc = FileEncryptor.create(random, file.length, CHUNK);
    FileDecryptor dec = new FileDecryptor(enc.key(), file.length, enc.cipherChunkSize());
    for (int i = 0; i < 3; i++) {
      int off = (int) enc.plainOffset(i);
      byte[] sealed = enc.encryptChunk(i, file, off, enc.plainLength(i));
      assertThat(sealed).hasSize(enc.plainLength(i) + 16);
      assertThat(enc.encryptChunk(i, file, off, enc.plainLength(i))).isEqualTo(sealed);
      assertThat(dec.decryptChunk(i, sealed))
          .isEqualTo(Arrays.copyOfRange(file, off, off + enc.plainLength(i)));
    }
  }

  @Test
  void tamperedMovedOrWrongKeyChunksAreRejected() {
    byte[] file = bytes(3 * CHUNK);
    FileEncryptor enc = FileEncryptor.create(random, file.length, CHUNK);
    FileDecryptor dec = new FileDecryptor(enc.key(), file.length, enc.cipherChunkSize());
    byte[] c0 = enc.encryptChunk(0, file, 0, CHUNK);
    byte[] c1 = enc.encryptChunk(1, file, CHUNK, CHUNK);
    byte[] flipped = c1.clone();
    flipped[100] ^= 1;
    assertThatThrownBy(() -> dec.decryptChunk(1, flipped))
        .isInstanceOf(FileIntegrityException.class).hasMessageContaining("chunk 1");
    assertThatThrownBy(() -> dec.decryptChunk(1, c0)).isInstanceOf(FileIntegrityException.class);
    assertThatThrownBy(() -> dec.decryptChunk(1, Arrays.copyOf(c1, c1.length - 1)))
        .isInstanceOf(FileIntegrityException.class);
    FileDecryptor wrongKey = new FileDecryptor(bytes(32), file.length, enc.cipherChunkSize());
    assertThatThrownBy(() -> wrongKey.decryptChunk(0, c0))
        .isInstanceOf(FileIntegrityException.class);
  }

  @Test
  void truncationAfterAWholeChunkIsDetected() {
    // A server that drops the last chunk of a 2-chunk file and claims a 1-chunk file: the first
    // chunk was sealed as "not last", so it fails as the last chunk of the shorter layout.
    byte[] file = bytes(2 * CHUNK);
    FileEncryptor enc = FileEncryptor.create(random, file.length, CHUNK);
    byte[] c0 = enc.encryptChunk(0, file, 0, CHUNK);
    FileDecryptor shorter = new FileDecryptor(enc.key(), CHUNK, enc.cipherChunkSize());
    assertThatThrownBy(() -> shorter.decryptChunk(0, c0))
        .isInstanceOf(FileIntegrityException.class);
  }

  @Test
  void reusedBuffersGiveTheSameBytesAsFreshArrays() {
    byte[] file = bytes(2 * CHUNK + 77);
    FileEncryptor enc = FileEncryptor.create(random, file.length, CHUNK);
    FileDecryptor dec = new FileDecryptor(enc.key(), file.length, enc.cipherChunkSize());
    byte[] sealed = new byte[enc.cipherChunkSize()];
    byte[] plain = new byte[CHUNK];
    Arrays.fill(sealed, (byte) 0x55); // stale content from an earlier chunk must not matter
    Arrays.fill(plain, (byte) 0x66);
    for (int i = 0; i < enc.chunkCount(); i++) {
      int len = enc.plainLength(i);
      int n = enc.encryptChunk(i, file, i * CHUNK, len, sealed);
      assertThat(n).isEqualTo(len + 16);
      assertThat(Arrays.copyOf(sealed, n)).isEqualTo(enc.encryptChunk(i, file, i * CHUNK, len));
      assertThat(dec.decryptChunk(i, sealed, n, plain)).isEqualTo(len);
      assertThat(Arrays.copyOf(plain, len))
          .isEqualTo(Arrays.copyOfRange(file, i * CHUNK, i * CHUNK + len));
    }
    int last = enc.chunkCount() - 1;
    int n = enc.encryptChunk(last, file, last * CHUNK, enc.plainLength(last), sealed);
    // the buffer holds more than the chunk: only the given length counts
    assertThatThrownBy(() -> dec.decryptChunk(last, sealed, n + 1, plain))
        .isInstanceOf(FileIntegrityException.class);
    assertThatThrownBy(() -> dec.decryptChunk(last, sealed, n, new byte[n - 17]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> enc.encryptChunk(0, file, 0, CHUNK, new byte[CHUNK]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChunkSizeNoClientUsesIsRefused() {
    assertThatThrownBy(() -> new FileDecryptor(bytes(32), 10, 16))
        .isInstanceOf(FileIntegrityException.class);
    // a plausible but wrong chunk size fails at decryption (it is bound in the AAD)
    byte[] file = bytes(CHUNK);
    FileEncryptor enc = FileEncryptor.create(random, file.length, CHUNK);
    byte[] c0 = enc.encryptChunk(0, file, 0, CHUNK);
    FileDecryptor other = new FileDecryptor(enc.key(), file.length, enc.cipherChunkSize() + 1);
    assertThatThrownBy(() -> other.decryptChunk(0, c0)).isInstanceOf(FileIntegrityException.class);
  }

  @Test
  void slicedSealingEqualsOneShotAesGcm() throws Exception {
    // the format is AES-256-GCM over the whole chunk: sealing in slices must not change a byte
    byte[] key = bytes(32);
    for (int size : new int[] {0, 1, (16 << 10) - 1, 16 << 10, (16 << 10) + 1, (1 << 20) + 3}) {
      int chunk = Math.max(ChunkLayout.MIN_PLAIN_CHUNK, size);
      FileEncryptor enc = FileEncryptor.withKey(key, size, chunk);
      byte[] plain = bytes(size);
      javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
          new javax.crypto.spec.GCMParameterSpec(128, new byte[12]));
      c.updateAAD(java.nio.ByteBuffer.allocate(11 + 4 + 8 + 1)
          .put("qpq-file-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .putInt(chunk).putLong(0).put((byte) 1).array());
      assertThat(enc.encryptChunk(0, plain, 0, size)).as("size %d", size)
          .isEqualTo(c.doFinal(plain));
      assertThat(new FileDecryptor(key, size, chunk + 16)
          .decryptChunk(0, enc.encryptChunk(0, plain, 0, size))).isEqualTo(plain);
    }
  }
}
