package org.quicproquo.mls.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches of parsed keys, so that repeated signing with one key and verifying the same members'
 * keys skip the point decoding and public-key derivation. Thread-safe.
 *
 * <p>Public keys go in a bounded map (cleared when full: members' keys are few and re-parsing is
 * only a cost). For private keys only the most recently used one is kept, compared in constant
 * time, so secret bytes are never hashed into a map.
 */
final class KeyCache<P, S> {
  static final int MAX_PUBLIC_KEYS = 4096;

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

  private final ConcurrentHashMap<Bytes, P> publicKeys = new ConcurrentHashMap<>();
  private volatile Private<S> lastPrivate;

  /** The parsed public key, or null if {@code parser} rejects it (rejections are not cached). */
  P publicKey(byte[] encoded, Parser<P> parser) {
    Bytes k = new Bytes(encoded);
    P p = publicKeys.get(k);
    if (p != null) {
      return p;
    }
    try {
      p = parser.parse(encoded);
    } catch (RuntimeException e) {
      return null;
    }
    if (p != null) {
      if (publicKeys.size() >= MAX_PUBLIC_KEYS) {
        publicKeys.clear();
      }
      publicKeys.put(new Bytes(encoded.clone()), p);
    }
    return p;
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
