package org.quicproquo.mls.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CowMapTest {
  @Test
  void copiesDoNotSeeEachOthersWrites() {
    CowMap<Integer, String> a = new CowMap<>();
    for (int i = 0; i < 2000; i++) {
      assertThat(a.putIfAbsent(i, "a" + i)).isNull();
    }
    CowMap<Integer, String> b = a.copy();
    assertThat(b.remove(5, "a5")).isTrue();
    assertThat(b.putIfAbsent(5000, "b")).isNull();
    assertThat(a.remove(6, "a6")).isTrue();
    assertThat(a.get(5)).isEqualTo("a5");
    assertThat(a.get(5000)).isNull();
    assertThat(b.get(5)).isNull();
    assertThat(b.get(5000)).isEqualTo("b");
    assertThat(b.get(6)).isEqualTo("a6");
    assertThat(a.get(6)).isNull();
  }

  @Test
  void putIfAbsentKeepsTheFirstValueAndRemoveNeedsTheMappedValue() {
    CowMap<String, Integer> m = new CowMap<>();
    assertThat(m.putIfAbsent("k", 1)).isNull();
    assertThat(m.putIfAbsent("k", 2)).isEqualTo(1);
    assertThat(m.remove("k", 2)).isFalse();
    assertThat(m.get("k")).isEqualTo(1);
    assertThat(m.remove("k", 1)).isTrue();
    assertThat(m.get("k")).isNull();
    assertThat(m.remove("absent", 1)).isFalse();
  }

  @Test
  void sizePutAndRemoveTrackEntriesAcrossCopies() {
    CowMap<Integer, String> a = new CowMap<>(4);
    a.put(1, "x");
    a.put(2, "y");
    assertThat(a.put(1, "z")).isEqualTo("x");
    CowMap<Integer, String> b = a.copy();
    assertThat(b.remove(2)).isEqualTo("y");
    assertThat(b.remove(2)).isNull();
    assertThat(a.size()).isEqualTo(2);
    assertThat(b.size()).isEqualTo(1);
    assertThat(a.toMap()).containsOnlyKeys(1, 2);
    assertThat(b.toMap()).containsEntry(1, "z").hasSize(1);
    assertThat(b.containsKey(2)).isFalse();
    assertThat(a.containsKey(2)).isTrue();
  }
}
