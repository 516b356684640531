package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Objects;

/**
 * A hash map with an O(shards) {@link #copy()}: the entries are spread over {@value #SHARDS}
 * small hash maps by key hash, a copy shares them with its original, and a shard is cloned the
 * first time either side writes to it while shared. The ratchet tree's key indexes (one entry
 * per member or node) are copied this way on every commit, which then costs the shards the
 * commit touches rather than all {@code n} entries. Null keys and values are not allowed.
 *
 * <p>Not thread-safe; an original and its copies must be used from one thread at a time.
 */
final class CowMap<K, V> {
  static final int SHARDS = 256;

  private HashMap<K, V>[] shards;
  private boolean[] owned;

  @SuppressWarnings("unchecked")
  CowMap() {
    this.shards = new HashMap[SHARDS];
    this.owned = new boolean[SHARDS];
  }

  private CowMap(HashMap<K, V>[] shards) {
    this.shards = shards;
    this.owned = new boolean[SHARDS];
  }

  private static int shard(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (SHARDS - 1);
  }

  V get(K key) {
    HashMap<K, V> m = shards[shard(key)];
    return m == null ? null : m.get(key);
  }

  /** As {@link java.util.Map#putIfAbsent}: returns the present value, or null if it was added. */
  V putIfAbsent(K key, V value) {
    Objects.requireNonNull(value, "value");
    int s = shard(key);
    HashMap<K, V> m = shards[s];
    if (m != null) {
      V present = m.get(key);
      if (present != null) {
        return present;
      }
    }
    writable(s).put(key, value);
    return null;
  }

  /** As {@link java.util.Map#remove(Object, Object)}. */
  boolean remove(K key, V value) {
    int s = shard(key);
    HashMap<K, V> m = shards[s];
    if (m == null || !Objects.equals(m.get(key), value)) {
      return false;
    }
    writable(s).remove(key);
    return true;
  }

  private HashMap<K, V> writable(int s) {
    HashMap<K, V> m = shards[s];
    if (m == null) {
      m = new HashMap<>();
      shards[s] = m;
      owned[s] = true;
    } else if (!owned[s]) {
      m = new HashMap<>(m);
      shards[s] = m;
      owned[s] = true;
    }
    return m;
  }

  /** An independent copy (see the class javadoc). */
  CowMap<K, V> copy() {
    Arrays.fill(owned, false);
    return new CowMap<>(shards.clone());
  }
}
