package org.quicproquo.server.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored leaf of the key-transparency log. The store does not interpret {@code entry}; the
 * log (qpq-kt {@code LogEntry}) does.
 *
 * @param sequence leaf index, dense from 0
 * @param name the account name the entry is about
 * @param kind the entry's kind code
 * @param entry the leaf data (copied)
 */
public record KeyLogRecord(long sequence, String name, int kind, byte[] entry) {
  /** Copies the entry. */
  public KeyLogRecord {
    Objects.requireNonNull(name, "name");
    entry = Objects.requireNonNull(entry, "entry").clone();
  }

  /** A copy of the leaf data. */
  @Override
  public byte[] entry() {
    return entry.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyLogRecord r && sequence == r.sequence && kind == r.kind
        && name.equals(r.name) && Arrays.equals(entry, r.entry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, name, kind) * 31 + Arrays.hashCode(entry);
  }

  @Override
  public String toString() {
    return "KeyLogRecord[" + sequence + " kind " + kind + " " + entry.length + " bytes]";
  }
}
