package org.quicproquo.server.store;

import java.util.List;
import java.util.function.LongFunction;

/**
 * The leaves of the key-transparency log, in append order. Thread-safe. Rows are only ever
 * appended: nothing here changes or removes one.
 *
 * <p>{@link #append} joins the caller's transaction when called inside {@link Store#atomically},
 * which is how a registration and its log entry commit together or not at all. The sequence
 * number is taken inside that transaction, so concurrent appends stay dense and ordered.
 */
public interface KeyLogStore {
  /**
   * Appends one leaf at the next sequence number.
   *
   * @param encodeAt builds the leaf data for the sequence number it is given (the data carries
   *     it); called once per attempt, on the store's writer thread, so it must not block
   * @return the stored record
   */
  KeyLogRecord append(String name, int kind, LongFunction<byte[]> encodeAt);

  /** Number of leaves. */
  long size();

  /** Up to {@code limit} leaves with sequence &gt;= {@code from}, ascending. */
  List<KeyLogRecord> range(long from, int limit);

  /**
   * The newest {@code limit} leaves about {@code name} with sequence below {@code below},
   * ascending; empty if there are none.
   */
  List<KeyLogRecord> byName(String name, long below, int limit);

  /**
   * Names of registered users that have no leaf at all: accounts created before the log existed
   * (the server backfills them on start).
   */
  List<UserName> usersWithoutEntries();

  /** The newest leaf about {@code name} with one of {@code kinds} and sequence below {@code below}. */
  java.util.Optional<KeyLogRecord> latestOfKinds(String name, long below,
      java.util.Set<Integer> kinds);
}
