package org.quicproquo.client.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.quicproquo.client.NodeClient;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.RpcException;

/**
 * Uploads and downloads files as encrypted blobs (docs/wire.md "Blobs" and "File encryption").
 * Streams from and to disk one chunk at a time, with {@link TransferOptions#window()} chunks in
 * flight, so memory stays flat whatever the file size. Both directions survive lost connections:
 * an upload asks the server which chunks it holds and sends the rest; a download keeps verified
 * plaintext in {@code TARGET.part} and continues after its last whole chunk, also across restarts
 * of the client.
 *
 * <p>Methods block the calling thread; run them off UI and event threads. Thread-safe.
 */
public final class FileTransfer {
  private final NodeClient client;
  private final SecureRandom random;
  private final TransferOptions options;

  /** A transfer over {@code client}, which must be logged in. */
  public FileTransfer(NodeClient client, SecureRandom random, TransferOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.random = Objects.requireNonNull(random, "random");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Encrypts and uploads {@code file}; returns the link to send inside MLS. */
  public FileLink upload(Path file, String name, String mediaType, TransferProgress progress)
      throws IOException {
    return upload(startUpload(file, name, mediaType), file, progress);
  }

  /**
   * Chooses the file key and reserves the blob, without sending data yet: persist the session to
   * resume the upload after a restart.
   *
   * @throws FileTransferException on QUOTA_EXCEEDED (detail BLOB_SIZE or BLOB_STORAGE) or
   *     another refusal
   */
  public UploadSession startUpload(Path file, String name, String mediaType) throws IOException {
    long size = Files.size(file);
    FileEncryptor enc = FileEncryptor.create(random, size, options.plainChunkSize());
    // createBlob is not idempotent: a retry after a lost answer leaves an orphan the server sweeps
    CreatedBlob blob = retrying(() -> client.createBlob(enc.cipherSize(), enc.cipherChunkSize(),
        options.expiresInSeconds()));
    return new UploadSession(blob.blobId(), enc.key(), size, options.plainChunkSize(), name,
        mediaType);
  }

  /**
   * Sends the chunks of {@code file} the server does not hold yet and seals the blob. Resumes
   * after lost connections (up to {@link TransferOptions#maxAttempts()}).
   *
   * @throws FileTransferException if the server refuses, stays unreachable, or the file changed
   */
  public FileLink upload(UploadSession session, Path file, TransferProgress progress)
      throws IOException {
    if (Files.size(file) != session.size()) {
      throw new FileTransferException(null, file + " changed size since the upload started", null);
    }
    FileEncryptor enc =
        FileEncryptor.withKey(session.key(), session.size(), session.plainChunkSize());
    byte[] id = session.blobId();
    Meter meter = new Meter(session.size(), progress);
    byte[] sha256 = null;
    for (int attempt = 1; ; attempt++) {
      BlobStatus status = retrying(() -> client.blobStatus(id));
      if (status.size() != enc.cipherSize() || status.chunkSize() != enc.cipherChunkSize()) {
        throw new FileTransferException(null, "the server's blob does not match this session",
            null);
      }
      if (status.finished()) {
        break;
      }
      long held = 0;
      for (int i = 0; i < enc.chunkCount(); i++) {
        held += status.has(i) ? enc.plainLength(i) : 0;
      }
      meter.set(held);
      Pass pass = sendMissing(enc, id, file, status, sha256 == null, meter);
      if (pass.sha256() != null) {
        sha256 = pass.sha256();
      }
      Throwable failure = pass.failure();
      if (failure == null) {
        try {
          retrying(() -> client.finishBlob(id));
          break;
        } catch (FileTransferException e) {
          // The server counts a chunk only once it is on disk; one it lost (a crash after its
          // answer) shows up as missing in the next status, and the next pass sends it again.
          if (!e.code().filter("BLOB_INCOMPLETE"::equals).isPresent()) {
            throw e;
          }
          if (attempt >= options.maxAttempts()) {
            throw new FileTransferException(null, "gave up after " + attempt
                + " attempts (last error: " + e.getMessage() + ")", e);
          }
          continue;
        }
      }
      recoverOrThrow(failure, attempt);
    }
    if (sha256 == null) {
      sha256 = hashFile(file, session.size());
    }
    meter.set(session.size());
    return new FileLink(id, session.key(), sha256, session.size(), session.name(),
        session.mediaType());
  }

  /**
   * Downloads and verifies the file {@code link} describes into {@code target} (replaced
   * atomically once verified). Continues a {@code target.part} left by an earlier attempt.
   *
   * @throws FileIntegrityException if any chunk, the size or the SHA-256 fails to verify (the
   *     partial file is deleted)
   * @throws FileTransferException if the server refuses (NO_SUCH_BLOB: deleted or expired) or
   *     stays unreachable
   */
  public void download(FileLink link, Path target, TransferProgress progress) throws IOException {
    byte[] id = link.blobId();
    BlobStatus status = retrying(() -> client.blobStatus(id));
    if (!status.finished()) {
      throw new FileTransferException("BLOB_INCOMPLETE", "the upload is not finished", null);
    }
    FileDecryptor dec = new FileDecryptor(link.key(), link.size(), status.chunkSize());
    if (status.size() != dec.cipherSize() || status.chunkCount() != dec.chunkCount()) {
      throw new FileIntegrityException("the server's blob has " + status.size()
          + " bytes; the reference needs " + dec.cipherSize());
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    MessageDigest md = sha256();
    Meter meter = new Meter(link.size(), progress);
    try (PartFile out = PartFile.open(part, link.size(), dec.plainChunkSize())) {
      // only whole chunks written before are kept: each was verified before it was written
      int next = (int) Math.min(out.size() / dec.plainChunkSize(), dec.chunkCount() - 1L);
      long kept = Math.min(dec.plainOffset(next), link.size());
      out.truncate(kept);
      hashPrefix(out.reader(), kept, md);
      meter.set(kept);
      for (int attempt = 1; next < dec.chunkCount(); attempt++) {
        try {
          next = fetchFrom(dec, id, next, out, md, meter);
        } catch (Retry r) {
          next = r.next;
          recoverOrThrow(r.getCause(), attempt);
        }
      }
      out.force();
      if (!MessageDigest.isEqual(md.digest(), link.sha256())) {
        throw new FileIntegrityException("the file's SHA-256 differs from the reference's");
      }
    } catch (FileIntegrityException e) {
      Files.deleteIfExists(part); // nothing unverified, and no verified prefix of a bad file
      throw e;
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  // ---- upload

  private record Pass(byte[] sha256, Throwable failure) {}

  /**
   * One pass over the file: hashes every chunk (when asked) and sends those the server lacks.
   * After the first failed call it stops sending but keeps hashing, so the hash is done once.
   */
  private Pass sendMissing(FileEncryptor enc, byte[] id, Path file, BlobStatus status,
      boolean hash, Meter meter) throws IOException {
    MessageDigest md = hash ? sha256() : null;
    int window = options.window();
    Semaphore permits = new Semaphore(window);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    byte[] plain = new byte[options.plainChunkSize()];
    // Sealed chunks go out of buffers reused within this pass (fresh 1 MiB arrays per chunk cost
    // more CPU to zero than to fill). Only a call that succeeded returns its buffer: one that
    // failed or timed out may still be sent again by the client after a reconnect, so its buffer
    // must never be refilled.
    ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int i = 0; i < enc.chunkCount(); i++) {
        boolean send = !status.has(i) && failure.get() == null;
        if (!send && md == null) {
          if (failure.get() != null) {
            break;
          }
          continue;
        }
        int len = enc.plainLength(i);
        readFully(in, ByteBuffer.wrap(plain, 0, len), enc.plainOffset(i));
        if (md != null) {
          md.update(plain, 0, len);
        }
        if (!send) {
          continue;
        }
        acquire(permits, 1);
        if (failure.get() != null) {
          permits.release();
          continue; // stop sending, keep hashing
        }
        byte[] sealed = buffers.poll();
        if (sealed == null) {
          sealed = new byte[enc.cipherChunkSize()];
        }
        int sealedLength = enc.encryptChunk(i, plain, 0, len, sealed);
        byte[] buffer = sealed;
        client.putChunk(id, i, sealed, sealedLength)
            .orTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((v, e) -> {
              if (e != null) {
                failure.compareAndSet(null, unwrap(e));
              } else {
                meter.add(len);
                buffers.add(buffer);
              }
              permits.release();
            });
      }
    } finally {
      acquire(permits, window); // every call in flight has settled
    }
    return new Pass(md == null ? null : md.digest(), failure.get());
  }

  // ---- download

  /** A download pass stopped at chunk {@code next} on a failure worth retrying. */
  private static final class Retry extends Exception {
    private static final long serialVersionUID = 1L;
    final int next;

    Retry(int next, Throwable cause) {
      super(cause);
      this.next = next;
    }
  }

  /** Fetches chunks from {@code from} on, in order, with a window in flight; returns the end. */
  private int fetchFrom(FileDecryptor dec, byte[] id, int from, PartFile out, MessageDigest md,
      Meter meter) throws Retry, IOException {
    int window = options.window();
    ArrayDeque<CompletableFuture<Integer>> inFlight = new ArrayDeque<>();
    // Buffers for the whole pass, none per chunk: fresh 1 MiB arrays at the transfer rate were
    // garbage whose zeroing cost as much CPU as the decryption. Chunk r arrives in ring slot
    // r % window, which the chunk `window` earlier has left by the time r is requested. A new
    // pass gets a new ring, so a late answer to an abandoned pass cannot overwrite a live slot.
    byte[][] ring = new byte[Math.min(window, dec.chunkCount() - from)][];
    byte[] plain = new byte[dec.plainChunkSize()];
    int requested = from;
    for (int i = from; i < dec.chunkCount(); i++) {
      while (requested < dec.chunkCount() && requested - i < window) {
        int slot = (requested - from) % ring.length;
        if (ring[slot] == null) {
          ring[slot] = new byte[dec.plainChunkSize() + ChunkLayout.TAG_BYTES];
        }
        inFlight.add(client.getChunk(id, requested++, ring[slot])
            .orTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
      }
      int sealedLength;
      try {
        sealedLength = inFlight.poll().get();
      } catch (ExecutionException e) {
        Throwable cause = unwrap(e.getCause());
        if (!retryable(cause)) {
          throw refused(cause);
        }
        throw new Retry(i, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("download interrupted");
      }
      // A chunk too long for its slot was not copied; decryptChunk refuses its length first.
      int n = dec.decryptChunk(i, ring[(i - from) % ring.length], sealedLength, plain);
      out.write(plain, n, dec.plainOffset(i));
      md.update(plain, 0, n);
      meter.add(n);
    }
    return dec.chunkCount();
  }

  // ---- shared

  /** Waits before the next attempt, or throws when the failure is final or attempts ran out. */
  private void recoverOrThrow(Throwable failure, int attempt) throws IOException {
    if (!retryable(failure)) {
      throw refused(failure);
    }
    if (attempt >= options.maxAttempts()) {
      throw new FileTransferException(null, "gave up after " + attempt + " attempts (last error: "
          + failure.getMessage() + ")", failure);
    }
    if (failure instanceof TimeoutException) {
      client.dropLink(); // the connection may look alive while the server is gone
    }
    sleep(options.retryDelay().toMillis());
  }

  /** One call, repeated after lost connections. */
  private <T> T retrying(Supplier<CompletableFuture<T>> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get().orTimeout(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .get();
      } catch (ExecutionException e) {
        recoverOrThrow(unwrap(e.getCause()), attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("transfer interrupted");
      }
    }
  }

  private static boolean retryable(Throwable t) {
    if (t instanceof TimeoutException) {
      return true;
    }
    return t instanceof RpcException r && (r.type() == ExceptionType.DISCONNECTED
        || "RATE_LIMITED".equals(r.code()));
  }

  private static RuntimeException refused(Throwable t) {
    if (t instanceof FileTransferException f) {
      return f;
    }
    if (t instanceof RpcException r) {
      return new FileTransferException(r.code(), r.detail(), r);
    }
    return new FileTransferException(null, String.valueOf(t.getMessage()), t);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static byte[] hashFile(Path file, long size) throws IOException {
    MessageDigest md = sha256();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      hashPrefix(in, size, md);
    }
    return md.digest();
  }

  private static void hashPrefix(FileChannel in, long length, MessageDigest md)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long pos = 0;
    while (pos < length) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
      readFully(in, buf, pos);
      md.update(buf.array(), 0, buf.limit());
      pos += buf.limit();
    }
  }

  private static void readFully(FileChannel in, ByteBuffer buf, long position)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = in.read(buf, pos);
      if (n < 0) {
        throw new FileTransferException(null, "the file got shorter during the transfer", null);
      }
      pos += n;
    }
  }

  private static void acquire(Semaphore s, int n) throws InterruptedIOException {
    try {
      s.acquire(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("transfer interrupted");
    }
  }

  private static void sleep(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("transfer interrupted");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Counts confirmed bytes and reports them with the rate of this run. */
  private static final class Meter {
    private final long total;
    private final TransferProgress progress;
    private final long startNanos = System.nanoTime();
    private long done;
    private long base = -1;

    Meter(long total, TransferProgress progress) {
      this.total = total;
      this.progress = Objects.requireNonNull(progress, "progress");
    }

    synchronized void set(long bytes) {
      done = bytes;
      if (base < 0) {
        base = bytes;
      }
      report();
    }

    synchronized void add(long bytes) {
      done += bytes;
      report();
    }

    private void report() {
      double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
      progress.update(Math.min(done, total), total, Math.max(0, done - base) / seconds);
    }
  }
}
