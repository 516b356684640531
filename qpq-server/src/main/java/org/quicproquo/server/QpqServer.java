package org.quicproquo.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.quicproquo.kt.LogSigningKey;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.FrameListener;
import org.quicproquo.rpc.LogRedaction;
import org.quicproquo.rpc.RpcServer;
import org.quicproquo.rpc.TlsIdentity;
import org.quicproquo.server.kt.KeyTransparency;
import org.quicproquo.server.kt.KeyTransparencyLog;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.StoreLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running qpq server: the composition root that wires the data directory, the TLS identity,
 * the store ({@code DATA/qpq.db}) and {@code NodeService} onto the QUIC RPC server. Thread-safe;
 * {@link #close()} stops it.
 */
public final class QpqServer implements AutoCloseable {
  /** The version this build reports in {@code serverInfo}. */
  public static final String VERSION = "0.1.0";

  /** How {@link #startupLine()} starts. */
  public static final String STARTUP_PREFIX = "qpq-server listening on ";

  /** Worker threads for calls: store calls block until their group commit, so use many. */
  private static final int WORKERS = 32;

  private static final Logger log = LoggerFactory.getLogger(QpqServer.class);

  private final RpcServer rpc;
  private final DataDirectory data;
  private final Store store;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final KeyTransparencyLog ktLog;
  private final BlobFiles blobFiles;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private QpqServer(RpcServer rpc, DataDirectory data, Store store, ExecutorService workers,
      ScheduledExecutorService scheduler, KeyTransparencyLog ktLog, BlobFiles blobFiles) {
    this.ktLog = ktLog;
    this.blobFiles = blobFiles;
    this.rpc = rpc;
    this.data = data;
    this.store = store;
    this.workers = workers;
    this.scheduler = scheduler;
  }

  /**
   * As {@link #start(ServerConfig, SecureRandom, Clock, StoreLimits, RateLimits)} with default
   * store limits and rate limits.
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock)
      throws IOException {
    return start(config, random, clock, StoreLimits.defaults(), RateLimits.defaults());
  }

  /**
   * Opens the data directory (creating the TLS identity on first start) and the database
   * (applying migrations), then starts listening.
   *
   * @throws IOException if the data directory or identity cannot be read or written
   * @throws org.quicproquo.rpc.RpcException if the address cannot be bound
   * @throws org.quicproquo.server.store.StoreException if the database cannot be opened
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock,
      StoreLimits storeLimits, RateLimits rateLimits) throws IOException {
    return start(config, random, clock, storeLimits, rateLimits, BlobLimits.defaults());
  }

  /**
   * As {@link #start(ServerConfig, SecureRandom, Clock, StoreLimits, RateLimits)} with these blob
   * limits; blobs live in {@code DATA/blobs}.
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock,
      StoreLimits storeLimits, RateLimits rateLimits, BlobLimits blobLimits) throws IOException {
    return start(config, random, clock, storeLimits, rateLimits, blobLimits, FrameListener.NONE);
  }

  /**
   * As {@link #start(ServerConfig, SecureRandom, Clock, StoreLimits, RateLimits, BlobLimits)},
   * with an observer of the size of every frame the server writes or reads (tests of traffic
   * padding).
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock,
      StoreLimits storeLimits, RateLimits rateLimits, BlobLimits blobLimits, FrameListener frames)
      throws IOException {
    return start(config, random, clock, storeLimits, rateLimits, blobLimits, frames,
        UnaryOperator.identity());
  }

  /**
   * As {@link #start(ServerConfig, SecureRandom, Clock, StoreLimits, RateLimits, BlobLimits,
   * FrameListener)}, serving the key-transparency RPCs through {@code ktView} applied to the real
   * log. Only tests pass anything but the identity: a hostile view (forking or rewriting history)
   * shows that clients detect a misbehaving server. Appends always go to the real log.
   */
  public static QpqServer start(ServerConfig config, SecureRandom random, Clock clock,
      StoreLimits storeLimits, RateLimits rateLimits, BlobLimits blobLimits, FrameListener frames,
      UnaryOperator<KeyTransparency> ktView) throws IOException {
    DataDirectory data = DataDirectory.open(config.dataDir());
    TlsIdentity identity = data.tlsIdentity(random, clock);
    LogSigningKey ktKey = data.ktSigningKey(random);
    KeyPackageValidator validator =
        new KeyPackageValidator(KeyPackageValidator.DEVICE_KEY_SUITES, random, clock);
    Store store = Store.openSqlite(data.root().resolve("qpq.db"), storeLimits, clock);
    KeyTransparencyLog ktLog;
    KeyTransparency kt;
    try {
      ktLog = new KeyTransparencyLog(store.keyLog(), ktKey, clock);
      int backfilled = ktLog.backfill(store);
      if (backfilled > 0) {
        log.info("key transparency: logged {} account(s) created before the log existed",
            backfilled);
      }
      kt = java.util.Objects.requireNonNull(ktView.apply(ktLog), "ktView");
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    ServerInfo info = new ServerInfo(VERSION, validator.acceptedCodes(), config.limits());
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("qpq-worker"));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("qpq-purge"));
    BlobFiles blobFiles;
    try {
      blobFiles = new BlobFiles(data.root().resolve("blobs"));
    } catch (IOException e) {
      workers.shutdownNow();
      scheduler.shutdownNow();
      store.close();
      throw e;
    }
    NodeContext node = new NodeContext(info, store, storeLimits, identity.fingerprint().sha256(),
        random, clock, new RateLimiter(rateLimits, clock), new LoggedInDevices(), validator,
        blobFiles, blobLimits, LinkOffers.defaults(clock), ktLog, kt);
    LogRedaction redaction =
        config.redactLogs() ? LogRedaction.redacting(random) : LogRedaction.plain();
    RpcServer rpc;
    try {
      rpc = RpcServer.builder(identity, conn -> new NodeService(node, conn, redaction))
          .bind(config.listen())
          .logRedaction(redaction)
          .padding(config.wirePadding())
          .frameListener(frames)
          .limits(config.limits())
          .executor(workers)
          .start();
    } catch (RuntimeException e) {
      workers.shutdownNow();
      scheduler.shutdownNow();
      store.close();
      throw e;
    }
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        int purged = store.queue().purgeExpired(clock.instant());
        if (purged > 0) {
          log.info("purged {} expired queue entries", purged);
        }
      } catch (RuntimeException e) {
        log.warn("purging expired entries failed", redaction.error(e));
      }
    }, 1, 1, TimeUnit.MINUTES);
    BlobSweeper sweeper = new BlobSweeper(store, blobFiles, blobLimits, clock);
    long every = blobLimits.sweepInterval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        int swept = sweeper.sweep();
        if (swept > 0) {
          log.info("deleted {} expired or abandoned blobs", swept);
        }
      } catch (RuntimeException e) {
        log.warn("sweeping blobs failed", redaction.error(e));
      }
    }, every, every, TimeUnit.MILLISECONDS);
    // The server's own address and certificate identify the server, not a user: never redacted.
    log.info("qpq server {} listening on {} (certificate sha256 {}, log redaction {})", VERSION,
        rpc.localAddress(), rpc.fingerprint().hex(), redaction.redacts() ? "on" : "off");
    return new QpqServer(rpc, data, store, workers, scheduler, ktLog, blobFiles);
  }

  /** The bound address (with the real port when started on port 0). */
  public InetSocketAddress address() {
    return rpc.localAddress();
  }

  /**
   * The machine-readable line printed once the socket is bound ({@code qpq server} and
   * {@code ServerMain} print it on stdout; docs/operations.md "Running a server"):
   * {@code qpq-server listening on HOST:PORT fingerprint SHA256HEX}, with an IPv6 host in
   * brackets and the fingerprint as 64 lower-case hex digits.
   */
  public String startupLine() {
    InetSocketAddress a = address();
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    if (host.contains(":")) {
      int zone = host.indexOf('%');
      host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
    }
    return STARTUP_PREFIX + host + ":" + a.getPort() + " fingerprint " + fingerprint().hex();
  }

  /** The certificate fingerprint clients pin. */
  public CertificateFingerprint fingerprint() {
    return rpc.fingerprint();
  }

  /** The data directory in use. */
  public java.nio.file.Path dataDir() {
    return data.root();
  }

  /** The key-transparency log (the real one, whatever view the RPCs serve). */
  public KeyTransparencyLog keyTransparency() {
    return ktLog;
  }

  /** The store, for operator tasks run in the same process (revoking a device, tests). */
  public Store store() {
    return store;
  }

  /**
   * Stops the server: no new calls, running calls get up to 5 s, then blob chunks written since
   * their last group sync are forced to disk and recorded (so a restarted server reports them and
   * clients do not send them again), and the store is closed. Idempotent.
   */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops the server the way a crash would as far as blob durability goes: chunks written since
   * their last group sync are neither forced nor recorded, so a restarted server reports them
   * missing. Only for tests of crash recovery; everything else uses {@link #close()}.
   */
  public void closeAsIfCrashed() {
    close(false);
  }

  private void close(boolean syncBlobs) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    rpc.close();
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (syncBlobs) {
      try {
        blobFiles.syncAll(store.blobs());
      } catch (IOException | RuntimeException e) {
        // the chunks stay unrecorded: clients send them again when they resume
        log.warn("forcing blob chunks at shutdown failed: {}", e.toString());
      }
    }
    store.close();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
