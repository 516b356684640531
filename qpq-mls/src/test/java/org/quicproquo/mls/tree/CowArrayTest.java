package org.quicproquo.mls.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CowArrayTest {
  @Test
  void copiesDoNotSeeEachOthersWrites() {
    CowArray<String> a = new CowArray<>(200);
    for (int i = 0; i < 200; i++) {
      a.set(i, "a" + i);
    }
    CowArray<String> b = a.copy();
    b.set(3, "b3");
    a.set(70, "a70'");
    CowArray<String> c = b.copy();
    c.set(199, null);
    assertThat(a.get(3)).isEqualTo("a3");
    assertThat(b.get(3)).isEqualTo("b3");
    assertThat(c.get(3)).isEqualTo("b3");
    assertThat(a.get(70)).isEqualTo("a70'");
    assertThat(b.get(70)).isEqualTo("a70");
    assertThat(b.get(199)).isEqualTo("a199");
    assertThat(c.get(199)).isNull();
  }

  @Test
  void shrinkThenGrowShowsNullsWithoutTouchingTheOriginal() {
    CowArray<String> a = new CowArray<>(130);
    for (int i = 0; i < 130; i++) {
      a.set(i, "x" + i);
    }
    CowArray<String> b = a.copy();
    b.resize(65);
    b.resize(300);
    assertThat(b.length()).isEqualTo(300);
    assertThat(b.get(64)).isEqualTo("x64");
    assertThat(b.get(65)).isNull();
    assertThat(b.get(129)).isNull();
    assertThat(a.get(65)).isEqualTo("x65");
    assertThat(a.get(129)).isEqualTo("x129");
  }

  @Test
  void indicesOutsideTheLengthAreRejected() {
    CowArray<String> a = new CowArray<>(3);
    assertThatThrownBy(() -> a.get(3)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.set(-1, "x")).isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }
}
