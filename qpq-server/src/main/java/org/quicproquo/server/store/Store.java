package org.quicproquo.server.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The server's storage: one store per aggregate, sharing one database. Thread-safe. Open one with
 * {@link #openSqlite}; close it when the server stops.
 *
 * <p>Each method of the aggregate stores is one transaction and is durable when it returns.
 * Writes block the calling thread until their commit; concurrent writers share commits, so
 * throughput grows with the number of callers writing at once (run store calls off I/O threads).
 * {@link #atomically} groups several calls into one transaction (for example accepting a Commit
 * and enqueueing it), so that either all of them take effect or none does. Events (push
 * notifications) are sent by the caller after the method returns, that is after commit.
 */
public interface Store extends AutoCloseable {
  /** Users and devices. */
  AccountStore accounts();

  /** KeyPackages. */
  KeyPackageStore keyPackages();

  /** Delivery queues. */
  DeliveryQueue queue();

  /** Group sequencing and GroupInfo. */
  GroupStore groups();

  /** Blob metadata. */
  BlobIndex blobs();

  /** The leaves of the key-transparency log. */
  KeyLogStore keyLog();

  /**
   * Runs {@code work} in one writing transaction: every call {@code work} makes on this store joins
   * it. If {@code work} throws, everything it did is rolled back and the exception propagates to
   * the caller. Returns after the commit.
   *
   * <p>{@code work} runs on the store's writer thread, batched with other writes (group commit),
   * so it must be short, must not block, and must not wait for anything done on another thread.
   * It may be run again when the engine reports contention, so it must not have effects outside
   * this store.
   */
  <T> T atomically(Supplier<T> work);

  /** Closes every connection. Calls after close throw {@link StorageFailureException}. */
  @Override
  void close();

  /**
   * Opens (creating if needed) the SQLite database {@code file}, applying pending migrations.
   *
   * @param clock source of creation times and of "now" for expiry checks in {@code fetch}
   * @throws SchemaException if the database is newer than this code or a migration fails
   * @throws StorageFailureException if the file cannot be opened
   */
  static Store openSqlite(Path file, StoreLimits limits, Clock clock) {
    return SqliteStore.open(file, limits, clock);
  }
}
