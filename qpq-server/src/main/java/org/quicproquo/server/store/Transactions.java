package org.quicproquo.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one way the JDBC stores reach the database. {@link #write} runs work in a transaction that
 * commits when the work returns and rolls back when it throws; a transaction that fails with
 * contention ({@link Dialect#isRetryable}) is retried from the start, a few times with backoff.
 * Calls made while the same thread is inside a transaction join it, which is how
 * {@link Store#atomically} groups calls. Thread-safe.
 */
final class Transactions {
  private static final int MAX_ATTEMPTS = 5;
  private static final long BACKOFF_MILLIS = 20;

  private final Connections connections;
  private final Dialect dialect;
  /** The transaction this thread is in, if any; an instance field, one per store. */
  private final ThreadLocal<Active> active = new ThreadLocal<>();

  private record Active(Connection connection, boolean writing) {}

  Transactions(Connections connections, Dialect dialect) {
    this.connections = connections;
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} in a writing transaction (or the writing transaction this thread is in). */
  <T> T write(SqlWork<T> work) {
    return run(work, true);
  }

  /**
   * Runs {@code work} on a reading connection, or in the transaction this thread is in, so it sees
   * that transaction's own writes. Each statement sees a committed state; work that needs several
   * statements to agree must use {@link #write}.
   */
  <T> T read(SqlWork<T> work) {
    return run(work, false);
  }

  private <T> T run(SqlWork<T> work, boolean writing) {
    Active current = active.get();
    if (current != null) {
      if (writing && !current.writing()) {
        throw new IllegalStateException("cannot write inside a read-only transaction");
      }
      try {
        return work.run(current.connection());
      } catch (SQLException e) {
        throw failure(e);
      }
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return writing
            ? connections.withWriter(c -> inTransaction(c, work))
            : connections.withReader(c -> joinable(c, work, false));
      } catch (SQLException e) {
        if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(e)) {
          throw failure(e);
        }
      } catch (StorageFailureException e) {
        // thrown by a nested call of Store.atomically's work
        if (attempt >= MAX_ATTEMPTS || !(e.getCause() instanceof SQLException s)
            || !dialect.isRetryable(s)) {
          throw e;
        }
      }
      backoff(attempt);
    }
  }

  private <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    dialect.begin(c);
    T result;
    try {
      result = joinable(c, work, true);
      dialect.commit(c);
    } catch (Throwable t) {
      try {
        dialect.rollback(c);
      } catch (SQLException r) {
        t.addSuppressed(r);
      }
      throw t;
    }
    return result;
  }

  private <T> T joinable(Connection c, SqlWork<T> work, boolean writing) throws SQLException {
    active.set(new Active(c, writing));
    try {
      return work.run(c);
    } finally {
      active.remove();
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(BACKOFF_MILLIS * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageFailureException("interrupted while retrying a transaction", e);
    }
  }

  static StorageFailureException failure(SQLException e) {
    return new StorageFailureException("database operation failed: " + e.getMessage(), e);
  }
}
