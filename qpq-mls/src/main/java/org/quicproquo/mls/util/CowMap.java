package org.quicproquo.mls.util;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A hash map with a cheap {@link #copy()}: the entries are spread over a fixed number of small
 * hash maps (shards) by key hash, a copy shares the shards with its original, and a shard is
 * cloned the first time either side writes to it while shared. Copying costs O(shards) and a
 * change then costs the size of one shard, instead of O(entries) for a copied {@link HashMap}.
 * Group state is immutable and every transition works on a copy, so this is what keeps per-commit
 * (ratchet tree indexes) and per-message (secret tree) staging independent of the group size.
 *
 * <p>Values are shared between copies, not cloned: callers must not mutate a value reachable from
 * a copy. Null keys and values are not allowed. Not thread-safe; an original and its copies must
 * be used from one thread at a time.
 */
public final class CowMap<K, V> {
  /** Shard count of {@link #CowMap()}. */
  public static final int DEFAULT_SHARDS = 256;

  private final HashMap<K, V>[] shards;
  private final boolean[] owned;
  private int size;

  /** An empty map with {@link #DEFAULT_SHARDS} shards. */
  public CowMap() {
    this(DEFAULT_SHARDS);
  }

  /** An empty map with {@code shards} shards (a power of two). */
  @SuppressWarnings("unchecked")
  public CowMap(int shards) {
    if (shards <= 0 || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException("shard count must be a power of two: " + shards);
    }
    this.shards = new HashMap[shards];
    this.owned = new boolean[shards];
  }

  private CowMap(HashMap<K, V>[] shards, int size) {
    this.shards = shards;
    this.owned = new boolean[shards.length];
    this.size = size;
  }

  private int shard(Object key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (shards.length - 1);
  }

  /** Number of entries. */
  public int size() {
    return size;
  }

  /** The value of {@code key}, or null. */
  public V get(Object key) {
    HashMap<K, V> m = shards[shard(key)];
    return m == null ? null : m.get(key);
  }

  /** Whether {@code key} has a value. */
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /** Sets the value of {@code key}; returns the previous one or null. */
  public V put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    V old = writable(shard(key)).put(key, value);
    if (old == null) {
      size++;
    }
    return old;
  }

  /** As {@link Map#putIfAbsent}: returns the present value, or null if it was added. */
  public V putIfAbsent(K key, V value) {
    V present = get(key);
    if (present != null) {
      return present;
    }
    put(key, value);
    return null;
  }

  /** Removes {@code key}; returns its value or null. */
  public V remove(Object key) {
    int s = shard(key);
    HashMap<K, V> m = shards[s];
    if (m == null || !m.containsKey(key)) {
      return null;
    }
    size--;
    return writable(s).remove(key);
  }

  /** As {@link Map#remove(Object, Object)}. */
  public boolean remove(Object key, Object value) {
    if (value == null || !value.equals(get(key))) {
      return false;
    }
    remove(key);
    return true;
  }

  /** Calls {@code action} for every entry, in no particular order. */
  public void forEach(BiConsumer<? super K, ? super V> action) {
    for (HashMap<K, V> m : shards) {
      if (m != null) {
        m.forEach(action);
      }
    }
  }

  /** The entries as a new {@link HashMap}. */
  public Map<K, V> toMap() {
    Map<K, V> out = new HashMap<>(Math.max(16, size * 2));
    forEach(out::put);
    return out;
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

  /**
   * An independent copy: later writes to either map are invisible to the other. O(shards); both
   * maps clone a shared shard before writing to it.
   */
  public CowMap<K, V> copy() {
    Arrays.fill(owned, false);
    return new CowMap<>(shards.clone(), size);
  }
}
