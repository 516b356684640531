package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupSaveBatchTest {
  @Test
  void outsideABatchNothingIsDeferred() {
    GroupSaveBatch b = new GroupSaveBatch();
    assertThat(b.defer("aa")).isFalse();
    b.begin();
    b.end();
    assertThat(b.defer("aa")).isFalse();
  }

  @Test
  void eachGroupIsSavedOnceInFirstChangedOrder() {
    GroupSaveBatch b = new GroupSaveBatch();
    b.begin();
    assertThat(b.defer("bb")).isTrue();
    assertThat(b.defer("aa")).isTrue();
    assertThat(b.defer("bb")).isTrue();
    assertThat(b.end()).containsExactly("bb", "aa");
    assertThat(b.end()).isEmpty();
  }

  @Test
  void anAbandonedBatchSavesNothing() {
    GroupSaveBatch b = new GroupSaveBatch();
    b.begin();
    b.defer("aa");
    b.abandon();
    assertThat(b.defer("aa")).isFalse();
    b.begin();
    assertThat(b.end()).isEmpty();
  }
}
