package org.quicproquo.mls.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Caches of parsed keys, so that repeated signing with one key and verifying the same members'
 * keys skip the point decoding and public-key derivation. Thread-safe.
 *
 * <p>Public keys go in a bounded least-recently-used map: a walk over a large tree touches every
 * member's key, and clearing the whole map when full made such walks re-parse every key; evicting
 * only the eldest keeps the hot keys while the bound still caps memory. For private keys only the most recently used one is kept, compared in constant
 * time, so secret bytes are never hashed into a map.
 */
final class KeyCache<P, S> {
  static final int MAX_PUBLIC_KEYS = 16_384;

  private record Bytes(byte[] b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes x && Arrays.equals(b, x.b);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(b);
    }
  }

  private record Private<S>(byte[] encoded, S parsed) {}

  @FunctionalInterface
  interface Parser<T> {
    /** Parses a key; returns null or throws a runtime exception for an invalid one. */
    T parse(byte[] encoded);
  }

  /** Access-ordered, so the eldest entry is the least recently used; guarded by its own lock. */
  private final LinkedHashMap<Bytes, P> publicKeys = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Bytes, P> eldest) {
      return size() > MAX_PUBLIC_KEYS;
    }
  };
  private volatile Private<S> lastPrivate;

  /** The parsed public key, or null if {@code parser} rejects it (rejections are not cached). */
  P publicKey(byte[] encoded, Parser<P> parser) {
    Bytes k = new Bytes(encoded);
    P p;
    synchronized (publicKeys) {
      p = publicKeys.get(k);
    }
    if (p != null) {
      return p;
    }
    // Parse outside the lock: two threads may parse the same key once each, which is only a cost.
    try {
      p = parser.parse(encoded);
    } catch (RuntimeException e) {
      return null;
    }
    if (p != null) {
      synchronized (publicKeys) {
        publicKeys.put(new Bytes(encoded.clone()), p);
      }
    }
    return p;
  }

  /** How many public keys are cached (for tests of the bound). */
  int publicKeyCount() {
    synchronized (publicKeys) {
      return publicKeys.size();
    }
  }

  /** The parsed private key; {@code parser} runs only when the key differs from the last one. */
  S privateKey(byte[] encoded, Parser<S> parser) {
    Private<S> last = lastPrivate;
    if (last != null && MessageDigest.isEqual(last.encoded, encoded)) {
      return last.parsed;
    }
    S s = parser.parse(encoded);
    lastPrivate = new Private<>(encoded.clone(), s);
    return s;
  }
}
