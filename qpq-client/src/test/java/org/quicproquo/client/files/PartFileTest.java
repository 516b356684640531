package org.quicproquo.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks written through {@link PartFile} read back the same, direct I/O or not. */
class PartFileTest {
  private static final int CHUNK = 1 << 20;

  @TempDir Path dir;

  @Test
  void aLargeFileIsWrittenInAnyChunkOrderWithAPartialLastChunk() throws Exception {
    long size = 5L * CHUNK + 1234;
    byte[] content = new byte[(int) size];
    new Random(3).nextBytes(content);
    Path path = dir.resolve("big.part");
    try (PartFile f = PartFile.open(path, size, CHUNK)) {
      int[] order = {2, 0, 5, 1, 4, 3};
      for (int i : order) {
        int len = (int) Math.min(CHUNK, size - (long) i * CHUNK);
        byte[] chunk = new byte[CHUNK];
        System.arraycopy(content, i * CHUNK, chunk, 0, len);
        f.write(chunk, len, (long) i * CHUNK);
      }
      f.force();
      assertThat(f.size()).isEqualTo(size);
    }
    assertThat(Files.readAllBytes(path)).isEqualTo(content);
  }

  @Test
  void directIoIsUsedOnlyForLargeFilesOfAlignedChunks() throws Exception {
    try (PartFile small = PartFile.open(dir.resolve("small"), 1000, CHUNK);
        PartFile odd = PartFile.open(dir.resolve("odd"), 64L * CHUNK, CHUNK - 16)) {
      assertThat(small.isDirect()).as("below %d bytes", PartFile.DIRECT_MIN_BYTES).isFalse();
      assertThat(odd.isDirect()).as("chunks not a multiple of the block size").isFalse();
    }
  }

  @Test
  void truncateAndReadBackForResume() throws Exception {
    Path path = dir.resolve("resume.part");
    byte[] chunk = new byte[CHUNK];
    new Random(5).nextBytes(chunk);
    try (PartFile f = PartFile.open(path, 8L * CHUNK, CHUNK)) {
      f.write(chunk, CHUNK, 0);
      f.write(chunk, CHUNK, CHUNK);
      f.truncate(CHUNK);
      assertThat(f.size()).isEqualTo(CHUNK);
    }
    try (PartFile f = PartFile.open(path, 8L * CHUNK, CHUNK)) {
      java.nio.ByteBuffer back = java.nio.ByteBuffer.allocate(CHUNK);
      while (back.hasRemaining()) {
        assertThat(f.reader().read(back, back.position())).isPositive();
      }
      assertThat(back.array()).isEqualTo(chunk);
    }
  }
}
