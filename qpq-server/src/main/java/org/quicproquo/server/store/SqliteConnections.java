package org.quicproquo.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Connections to one SQLite file: a single writer behind a lock (SQLite admits one writer at a
 * time, so queueing writers in Java is cheaper and fairer than letting them spin on
 * {@code SQLITE_BUSY}) and a small pool of read-only connections, which WAL lets run alongside the
 * writer. Thread-safe.
 */
final class SqliteConnections implements Connections {
  private static final Logger log = LoggerFactory.getLogger(SqliteConnections.class);
  static final int READERS = 4;
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final BlockingQueue<Connection> readers;
  private final List<Connection> allReaders;
  private volatile boolean closed;

  private SqliteConnections(Connection writer, List<Connection> readers) {
    this.writer = writer;
    this.allReaders = List.copyOf(readers);
    this.readers = new ArrayBlockingQueue<>(readers.size(), false, readers);
  }

  /**
   * Opens the writer first (creating the file and switching it to WAL, which read-only connections
   * cannot do), then the readers.
   */
  static SqliteConnections open(Path file) throws SQLException {
    Connection writer = openWriter(file);
    try {
      return withReaders(file, writer);
    } catch (SQLException e) {
      closeQuietly(writer, e);
      throw e;
    }
  }

  private static Connection openWriter(Path file) throws SQLException {
    SQLiteConfig config = common();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: in WAL mode NORMAL skips the fsync at commit, so after a power loss or OS crash the
    // last transactions can be gone although the client was told "enqueued". FULL syncs the WAL
    // on every commit; its cost is one fsync per transaction, which is why multi-recipient
    // enqueues are one transaction.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    return DriverManager.getConnection(url(file), config.toProperties());
  }

  private static SqliteConnections withReaders(Path file, Connection writer) throws SQLException {
    List<Connection> readers = new ArrayList<>();
    try {
      for (int i = 0; i < READERS; i++) {
        SQLiteConfig config = common();
        config.setReadOnly(true);
        readers.add(DriverManager.getConnection(url(file), config.toProperties()));
      }
    } catch (SQLException e) {
      for (Connection c : readers) {
        closeQuietly(c, e);
      }
      throw e;
    }
    return new SqliteConnections(writer, readers);
  }

  private static SQLiteConfig common() {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return config;
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  @Override
  public <T> T withWriter(SqlWork<T> work) throws SQLException {
    writeLock.lock();
    try {
      checkOpen();
      return work.run(writer);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public <T> T withReader(SqlWork<T> work) throws SQLException {
    checkOpen();
    Connection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageFailureException("interrupted while waiting for a connection", e);
    }
    try {
      checkOpen();
      return work.run(c);
    } finally {
      readers.add(c);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageFailureException("store is closed", null);
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      // wait briefly for readers in use to come back, then close everything regardless
      for (int i = 0; i < allReaders.size(); i++) {
        try {
          readers.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      for (Connection c : allReaders) {
        closeQuietly(c, null);
      }
      closeQuietly(writer, null);
    } finally {
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection c, Exception into) {
    try {
      c.close();
    } catch (SQLException e) {
      if (into != null) {
        into.addSuppressed(e);
      } else {
        log.warn("closing an SQLite connection failed", e);
      }
    }
  }
}
