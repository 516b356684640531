package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the JDBC stores reach the database. Thread-safe; {@link #close} stops it.
 *
 * <p>{@link #write} runs work in a transaction that commits when the work returns and rolls back
 * when it throws. Calls made while the same thread is inside a transaction join it, which is how
 * {@link Store#atomically} groups calls.
 *
 * <p>Group commit: with a single-writer engine every commit costs an fsync (milliseconds), so
 * one transaction per call would cap the store at a few hundred writes per second. All writes are
 * handed to one writer thread; it takes whatever has queued up while it was committing and runs
 * it as one transaction, each piece of work inside its own savepoint, then commits once:
 *
 * <pre>
 *   caller A ──┐                      ┌─ SAVEPOINT; work A; RELEASE ──────┐
 *   caller B ──┼─► queue ─► writer ─► BEGIN                                 COMMIT ─► A, B, C return
 *   caller C ──┘                      └─ SAVEPOINT; work C; ROLLBACK TO ───┘  (C gets its exception)
 * </pre>
 *
 * A piece of work that throws is rolled back to its savepoint and its caller gets the exception;
 * the others still commit. Nobody returns before the commit, so "durable when it returns" holds.
 * Work therefore runs on the writer thread, not the caller's. A batch that fails with contention
 * ({@link Dialect#isRetryable}) is retried from the start, a few times with backoff.
 */
final class Transactions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final long BACKOFF_MILLIS = 20;
  private static final int MAX_BATCH = 256;

  private final Connections connections;
  private final Dialect dialect;
  /** The transaction this thread is in, if any; an instance field, one per store. */
  private final ThreadLocal<Active> active = new ThreadLocal<>();
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final StatementCache statements = new StatementCache();
  private final Thread writer;
  private volatile boolean closed;

  private record Active(Connection connection, boolean writing) {}

  /** A caller's work and, once {@link #done} opened, its outcome. */
  private static final class Pending<T> {
    final SqlWork<T> work;
    final CountDownLatch done = new CountDownLatch(1);
    T result;
    Throwable failure;

    Pending(SqlWork<T> work) {
      this.work = work;
    }

    void fail(Throwable t) {
      result = null;
      failure = t;
    }

    T await() {
      boolean interrupted = false;
      // the work may already be running; waiting out an interrupt keeps "returned = committed"
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure == null) {
        return result;
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure instanceof SQLException s) {
        throw failure(s);
      }
      throw new IllegalStateException("unexpected checked exception", failure);
    }
  }

  private Transactions(Connections connections, Dialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
    this.writer = new Thread(this::writeLoop, "qpq-store-writer");
    writer.setDaemon(true);
  }

  /** Creates the helper and starts its writer thread. */
  static Transactions start(Connections connections, Dialect dialect) {
    Transactions tx = new Transactions(connections, dialect);
    tx.writer.start();
    return tx;
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * The prepared statement for {@code sql} on {@code c}, compiled once per connection: for the
   * hot paths, with SQL text that is a constant. The caller must not close it (see
   * {@link StatementCache}).
   */
  PreparedStatement prepared(Connection c, String sql) throws SQLException {
    return statements.get(c, sql);
  }

  /** Runs {@code work} in a writing transaction (or the writing transaction this thread is in). */
  <T> T write(SqlWork<T> work) {
    Active current = active.get();
    if (current != null) {
      return joined(current, work, true);
    }
    checkOpen();
    Pending<T> mine = new Pending<>(work);
    queue.add(mine);
    // close() may have drained the queue just before our add: take ours back and refuse
    if (closed && queue.remove(mine)) {
      checkOpen();
    }
    return mine.await();
  }

  /**
   * Runs {@code work} on a reading connection, or in the transaction this thread is in, so it sees
   * that transaction's own writes. Each statement sees a committed state; work that needs several
   * statements to agree must use {@link #write}.
   */
  <T> T read(SqlWork<T> work) {
    Active current = active.get();
    if (current != null) {
      return joined(current, work, false);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return connections.withReader(c -> {
          active.set(new Active(c, false));
          try {
            return work.run(c);
          } finally {
            active.remove();
          }
        });
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(e)) {
          throw failure(e);
        }
      }
      backoff(attempt);
    }
  }

  /** Finishes the writes already queued, then stops the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending<?>> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending<?> p : left) {
      p.fail(new StorageFailureException("store is closed", null));
      p.done.countDown();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageFailureException("store is closed", null);
    }
  }

  private <T> T joined(Active current, SqlWork<T> work, boolean writing) {
    if (writing && !current.writing()) {
      throw new IllegalStateException("cannot write inside a read-only transaction");
    }
    try {
      return work.run(current.connection());
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void writeLoop() {
    List<Pending<?>> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        log.warn("store writer interrupted; {} writes fail", batch.size());
        for (Pending<?> p : batch) {
          p.fail(new StorageFailureException("store writer was interrupted", e));
        }
        Thread.currentThread().interrupt();
        closed = true;
      } finally {
        for (Pending<?> p : batch) {
          p.done.countDown();
        }
        batch.clear();
      }
    }
  }

  /** Runs and commits a batch, leaving every member with an outcome. */
  private void runBatch(List<Pending<?>> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        connections.withWriter(c -> {
          inTransaction(c, batch);
          return null;
        });
        return;
      } catch (SQLException | RuntimeException | Error e) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) {
          Throwable t = e instanceof SQLException s ? failure(s) : e;
          for (Pending<?> p : batch) {
            p.fail(t);
          }
          return;
        }
      }
      Thread.sleep(BACKOFF_MILLIS * attempt);
    }
  }

  private void inTransaction(Connection c, List<Pending<?>> batch) throws SQLException {
    dialect.begin(c);
    try {
      for (Pending<?> p : batch) {
        runInSavepoint(c, p);
      }
      dialect.commit(c);
    } catch (Throwable t) {
      try {
        dialect.rollback(c);
      } catch (SQLException r) {
        t.addSuppressed(r);
      }
      throw t;
    }
  }

  private <T> void runInSavepoint(Connection c, Pending<T> p) throws SQLException {
    p.result = null;
    p.failure = null;
    exec(c, "SAVEPOINT work");
    active.set(new Active(c, true));
    try {
      p.result = p.work.run(c);
      exec(c, "RELEASE SAVEPOINT work");
    } catch (Throwable t) {
      if (isRetryable(t)) {
        throw t; // the whole batch is retried
      }
      exec(c, "ROLLBACK TO SAVEPOINT work");
      exec(c, "RELEASE SAVEPOINT work");
      p.fail(t);
    } finally {
      active.remove();
    }
  }

  private boolean isRetryable(Throwable t) {
    if (t instanceof SQLException s) {
      return dialect.isRetryable(s);
    }
    // a nested call of Store.atomically's work wrapped it
    return t instanceof StorageFailureException && t.getCause() instanceof SQLException s
        && dialect.isRetryable(s);
  }

  /** Runs one of the savepoint statements (constants), prepared once per connection. */
  private void exec(Connection c, String sql) throws SQLException {
    statements.get(c, sql).execute();
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(BACKOFF_MILLIS * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageFailureException("interrupted while retrying a read", e);
    }
  }

  static StorageFailureException failure(SQLException e) {
    return new StorageFailureException("database operation failed: " + e.getMessage(), e);
  }
}
