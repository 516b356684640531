package org.quicproquo.mls.tree;

import java.util.Arrays;

/**
 * A fixed-length array with an O(length / 64) {@link #copy()}: the elements live in chunks of
 * {@value #CHUNK} that a copy shares with its original, and a chunk is cloned the first time
 * either side writes to it while shared. A commit that changes a path of {@code log n} nodes of a
 * copied ratchet tree thus clones {@code O(log n)} chunks instead of the whole node array.
 *
 * <pre>
 *   original: [c0][c1][c2][c3]        copy after set(70, x):  [c0][c1'][c2][c3]
 *               \   \   \   \                                   |        |   |
 *                shared chunks  &lt;--------------------------------+--------+---+
 * </pre>
 *
 * <p>Not thread-safe; an original and its copies must be used from one thread at a time (as the
 * group state that owns them is).
 */
final class CowArray<T> {
  static final int SHIFT = 6;
  static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;

  private Object[][] chunks;
  /** Whether chunk i belongs to this instance alone (may be written in place). */
  private boolean[] owned;
  private int length;

  CowArray(int length) {
    this.length = length;
    this.chunks = new Object[chunkCount(length)][];
    this.owned = new boolean[chunks.length];
  }

  private CowArray(Object[][] chunks, int length) {
    this.chunks = chunks;
    this.owned = new boolean[chunks.length];
    this.length = length;
  }

  private static int chunkCount(int length) {
    return (length + MASK) >>> SHIFT;
  }

  int length() {
    return length;
  }

  @SuppressWarnings("unchecked")
  T get(int i) {
    if (i < 0 || i >= length) {
      throw new ArrayIndexOutOfBoundsException(i);
    }
    Object[] c = chunks[i >>> SHIFT];
    return c == null ? null : (T) c[i & MASK];
  }

  void set(int i, T value) {
    if (i < 0 || i >= length) {
      throw new ArrayIndexOutOfBoundsException(i);
    }
    int ci = i >>> SHIFT;
    Object[] c = chunks[ci];
    if (c == null) {
      if (value == null) {
        return;
      }
      c = new Object[CHUNK];
      chunks[ci] = c;
      owned[ci] = true;
    } else if (!owned[ci]) {
      c = c.clone();
      chunks[ci] = c;
      owned[ci] = true;
    }
    c[i & MASK] = value;
  }

  /**
   * An independent copy. Both this array and the copy clone a shared chunk before writing to it,
   * so neither ever sees the other's later writes.
   */
  CowArray<T> copy() {
    Arrays.fill(owned, false);
    return new CowArray<>(chunks.clone(), length);
  }

  /**
   * Changes the length; elements beyond the new length are dropped, new ones are null. Only the
   * chunk that is cut in two is cloned.
   */
  void resize(int newLength) {
    int n = chunkCount(newLength);
    chunks = Arrays.copyOf(chunks, n);
    owned = Arrays.copyOf(owned, n);
    if (newLength < length && (newLength & MASK) != 0 && chunks[n - 1] != null) {
      // Clear the tail of the last chunk so a later grow shows nulls there.
      Object[] c = owned[n - 1] ? chunks[n - 1] : chunks[n - 1].clone();
      Arrays.fill(c, newLength & MASK, CHUNK, null);
      chunks[n - 1] = c;
      owned[n - 1] = true;
    }
    length = newLength;
  }
}
