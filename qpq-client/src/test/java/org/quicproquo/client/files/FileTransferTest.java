package org.quicproquo.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.NodeClient;
import org.quicproquo.server.BlobLimits;
import org.quicproquo.server.QpqServer;

/** Files through a real server over QUIC on loopback, between two users. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileTransferTest {
  private static final int CHUNK = ChunkLayout.MIN_PLAIN_CHUNK;

  @TempDir Path dir;
  private QpqServer server;
  private NodeClient alice;
  private NodeClient bob;
  private final SecureRandom random = new SecureRandom();

  @BeforeEach
  void start() throws Exception {
    BlobLimits d = BlobLimits.defaults();
    server = TestClients.server(dir.resolve("server"), 0, new BlobLimits(64L * CHUNK,
        100L * CHUNK, d.minChunkBytes(), d.maxChunkBytes(), d.maxRetention(),
        d.unfinishedRetention(), d.sweepInterval()));
    alice = TestClients.loggedIn("alice", server.address().getPort(), dir.resolve("alice"));
    bob = TestClients.loggedIn("bob", server.address().getPort(), dir.resolve("bob"));
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    server.close();
  }

  private FileTransfer transfer(NodeClient c, int chunk) {
    TransferOptions d = TransferOptions.defaults();
    return new FileTransfer(c, random, new TransferOptions(chunk, 4, 3, d.retryDelay(),
        d.callTimeout(), 0));
  }

  private FileLink roundTrip(long size, int chunk) throws Exception {
    Path src = TestClients.randomFile(dir.resolve("src-" + size), size, size);
    AtomicLong lastDone = new AtomicLong(-1);
    FileLink link = transfer(alice, chunk).upload(src, "notes.txt", "text/plain",
        (done, total, rate) -> {
          assertThat(total).isEqualTo(size);
          lastDone.set(done);
        });
    assertThat(lastDone.get()).isEqualTo(size);
    assertThat(link.size()).isEqualTo(size);
    assertThat(link.sha256())
        .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(src)));
    Path dst = dir.resolve("dst-" + size);
    transfer(bob, chunk).download(link, dst, TransferProgress.NONE);
    assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
    assertThat(dst.resolveSibling(dst.getFileName() + ".part")).doesNotExist();
    return link;
  }

  @Test
  void emptyOneByteExactMultipleAndOddSizesRoundTrip() throws Exception {
    roundTrip(0, CHUNK);
    roundTrip(1, CHUNK);
    roundTrip(3L * CHUNK, CHUNK);
    roundTrip(3L * CHUNK + 1234, CHUNK);
  }

  @Test
  void defaultChunkSizeRoundTrip() throws Exception {
    server.close();
    BlobLimits d = BlobLimits.defaults();
    server = TestClients.server(dir.resolve("server2"), 0, d);
    alice.close();
    bob.close();
    alice = TestClients.loggedIn("alice", server.address().getPort(), dir.resolve("alice2"));
    bob = TestClients.loggedIn("bob", server.address().getPort(), dir.resolve("bob2"));
    roundTrip(5L * FileEncryptor.DEFAULT_CHUNK + 99, FileEncryptor.DEFAULT_CHUNK);
  }

  @Test
  void aTamperedBlobIsRejectedAndNothingIsKept() throws Exception {
    FileLink link = roundTrip(4L * CHUNK, CHUNK);
    Path blob = server.dataDir().resolve("blobs").resolve(HexFormat.of().formatHex(link.blobId()));
    try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
      f.seek(2L * (CHUNK + 16) + 10);
      int b = f.read();
      f.seek(2L * (CHUNK + 16) + 10);
      f.write(b ^ 0x40);
    }
    Path dst = dir.resolve("tampered");
    assertThatThrownBy(() -> transfer(bob, CHUNK).download(link, dst, TransferProgress.NONE))
        .isInstanceOf(FileIntegrityException.class).hasMessageContaining("chunk 2");
    assertThat(dst).doesNotExist();
    assertThat(dst.resolveSibling("tampered.part")).doesNotExist();
  }

  @Test
  void wrongKeyWrongHashAndWrongSizeAreRejected() throws Exception {
    FileLink link = roundTrip(2L * CHUNK + 3, CHUNK);
    byte[] otherKey = new byte[32];
    random.nextBytes(otherKey);
    FileLink wrongKey = new FileLink(link.blobId(), otherKey, link.sha256(), link.size(),
        link.name(), link.mediaType());
    assertThatThrownBy(() -> transfer(bob, CHUNK).download(wrongKey, dir.resolve("k"),
        TransferProgress.NONE)).isInstanceOf(FileIntegrityException.class);
    FileLink wrongHash = new FileLink(link.blobId(), link.key(), new byte[32], link.size(),
        link.name(), link.mediaType());
    assertThatThrownBy(() -> transfer(bob, CHUNK).download(wrongHash, dir.resolve("h"),
        TransferProgress.NONE)).isInstanceOf(FileIntegrityException.class)
        .hasMessageContaining("SHA-256");
    assertThat(dir.resolve("h.part")).doesNotExist();
    FileLink shorter = new FileLink(link.blobId(), link.key(), link.sha256(), 2L * CHUNK,
        link.name(), link.mediaType());
    assertThatThrownBy(() -> transfer(bob, CHUNK).download(shorter, dir.resolve("s"),
        TransferProgress.NONE)).isInstanceOf(FileIntegrityException.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void quotaAndMissingBlobErrorsAreTyped() throws Exception {
    Path big = TestClients.randomFile(dir.resolve("big"), 70L * CHUNK, 1);
    assertThatThrownBy(() -> transfer(alice, CHUNK).upload(big, "big", "application/octet-stream",
        TransferProgress.NONE)).isInstanceOfSatisfying(FileTransferException.class, e -> {
          assertThat(e.code()).contains("QUOTA_EXCEEDED");
          assertThat(e.getMessage()).contains("BLOB_SIZE");
        });
    Path mid = TestClients.randomFile(dir.resolve("mid"), 60L * CHUNK, 2);
    FileLink first = transfer(alice, CHUNK).upload(mid, "mid", "application/octet-stream",
        TransferProgress.NONE);
    assertThatThrownBy(() -> transfer(alice, CHUNK).upload(mid, "mid", "application/octet-stream",
        TransferProgress.NONE)).isInstanceOfSatisfying(FileTransferException.class, e -> {
          assertThat(e.code()).contains("QUOTA_EXCEEDED");
          assertThat(e.getMessage()).contains("BLOB_STORAGE");
        });
    assertThat(alice.deleteBlob(first.blobId()).get(20, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> transfer(bob, CHUNK).download(first, dir.resolve("gone"),
        TransferProgress.NONE)).isInstanceOfSatisfying(FileTransferException.class,
            e -> assertThat(e.code()).contains("NO_SUCH_BLOB"));
  }

  @Test
  void aDownloadContinuesFromAPartFile() throws Exception {
    Path src = TestClients.randomFile(dir.resolve("src"), 10L * CHUNK + 7, 3);
    FileLink link = transfer(alice, CHUNK).upload(src, "f", "application/octet-stream",
        TransferProgress.NONE);
    Path dst = dir.resolve("dst");
    // a previous run left 4.5 verified chunks; the half chunk is dropped and fetched again
    byte[] prefix = java.util.Arrays.copyOf(Files.readAllBytes(src), 4 * CHUNK + CHUNK / 2);
    Files.write(dir.resolve("dst.part"), prefix);
    AtomicLong first = new AtomicLong(-1);
    transfer(bob, CHUNK).download(link, dst, (done, total, rate) -> first.compareAndSet(-1, done));
    assertThat(first.get()).isEqualTo(4L * CHUNK);
    assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
  }

  @Test
  void anUploadResumesFromItsSession() throws Exception {
    Path src = TestClients.randomFile(dir.resolve("src"), 6L * CHUNK, 4);
    FileTransfer t = transfer(alice, CHUNK);
    UploadSession session = t.startUpload(src, "f", "application/octet-stream");
    // a client that died after sending chunks 0 and 3
    FileEncryptor enc = FileEncryptor.withKey(session.key(), session.size(), CHUNK);
    byte[] plain = Files.readAllBytes(src);
    for (int i : new int[] {0, 3}) {
      alice.putChunk(session.blobId(), i, enc.encryptChunk(i, plain, i * CHUNK, CHUNK))
          .get(20, TimeUnit.SECONDS);
    }
    AtomicLong first = new AtomicLong(-1);
    FileLink link = t.upload(session, src, (done, total, rate) -> first.compareAndSet(-1, done));
    assertThat(first.get()).isEqualTo(2L * CHUNK);
    Path dst = dir.resolve("dst");
    transfer(bob, CHUNK).download(link, dst, TransferProgress.NONE);
    assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
  }

  @Test
  void chunksAServerLostInACrashAreSentAgain() throws Exception {
    Path src = TestClients.randomFile(dir.resolve("src"), 6L * CHUNK, 5);
    FileTransfer t = transfer(alice, CHUNK);
    UploadSession session = t.startUpload(src, "f", "application/octet-stream");
    FileEncryptor enc = FileEncryptor.withKey(session.key(), session.size(), CHUNK);
    byte[] plain = Files.readAllBytes(src);
    for (int i = 0; i < 6; i++) {
      alice.putChunk(session.blobId(), i, enc.encryptChunk(i, plain, i * CHUNK, CHUNK))
          .get(20, TimeUnit.SECONDS);
    }
    // Every chunk was answered, but none is forced to disk yet: a server that crashes now must
    // not report them afterwards, because their bytes might not have survived.
    int port = server.address().getPort();
    server.closeAsIfCrashed();
    server = TestClients.server(dir.resolve("server"), port, BlobLimits.defaults());
    AtomicLong first = new AtomicLong(-1);
    FileLink link = t.upload(session, src, (done, total, rate) -> first.compareAndSet(-1, done));
    assertThat(first.get()).as("the restarted server holds none of them").isZero();
    Path dst = dir.resolve("dst");
    transfer(bob, CHUNK).download(link, dst, TransferProgress.NONE);
    assertThat(Files.mismatch(src, dst)).isEqualTo(-1);
  }
}
