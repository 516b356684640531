package org.quicproquo.mls.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  @Test
  void evictsOnlyTheLeastRecentlyUsedKeyWhenFull() {
    KeyCache<Integer, Object> cache = new KeyCache<>();
    AtomicInteger parses = new AtomicInteger();
    KeyCache.Parser<Integer> parser = b -> {
      parses.incrementAndGet();
      return ByteBuffer.wrap(b).getInt();
    };
    for (int i = 0; i < KeyCache.MAX_PUBLIC_KEYS; i++) {
      cache.publicKey(key(i), parser);
    }
    cache.publicKey(key(0), parser); // key 0 becomes most recently used; key 1 is now eldest
    cache.publicKey(key(KeyCache.MAX_PUBLIC_KEYS), parser);
    assertThat(cache.publicKeyCount()).isEqualTo(KeyCache.MAX_PUBLIC_KEYS);
    int before = parses.get();

    assertThat(cache.publicKey(key(0), parser)).isZero();
    assertThat(cache.publicKey(key(2), parser)).isEqualTo(2);
    assertThat(parses.get()).isEqualTo(before);
    assertThat(cache.publicKey(key(1), parser)).isEqualTo(1);
    assertThat(parses.get()).isEqualTo(before + 1);
    assertThat(cache.publicKeyCount()).isEqualTo(KeyCache.MAX_PUBLIC_KEYS);
  }

  @Test
  void rejectedKeysAreNotCached() {
    KeyCache<Integer, Object> cache = new KeyCache<>();
    assertThat(cache.publicKey(key(7), b -> {
      throw new IllegalArgumentException("bad point");
    })).isNull();
    assertThat(cache.publicKeyCount()).isZero();
  }
}
