package org.quicproquo.mls.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.quicproquo.mls.schedule.SecretTree;

class GroupOptionsTest {
  @Test
  void defaultsUseTheSecretTreeRetentionBound() {
    assertThat(GroupOptions.defaults().maxRetainedKeys()).isEqualTo(SecretTree.DEFAULT_MAX_RETAINED);
    assertThat(new GroupOptions(true, false, 4).maxRetainedKeys())
        .isEqualTo(SecretTree.DEFAULT_MAX_RETAINED);
  }

  @Test
  void retainedKeyCapIsValidated() {
    assertThat(GroupOptions.defaults().withMaxRetainedKeys(0).maxRetainedKeys()).isZero();
    assertThat(GroupOptions.defaults().withMaxRetainedKeys(GroupOptions.MAX_RETAINED_KEYS)
        .maxRetainedKeys()).isEqualTo(GroupOptions.MAX_RETAINED_KEYS);
    assertThatThrownBy(() -> GroupOptions.defaults().withMaxRetainedKeys(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GroupOptions.defaults()
        .withMaxRetainedKeys(GroupOptions.MAX_RETAINED_KEYS + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void paddingIsValidated() {
    assertThatThrownBy(() -> new GroupOptions(false, true, -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupOptions(false, true, GroupOptions.MAX_PADDING + 1, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clockDefaultsToSystemUtcAndSurvivesOtherWithers() {
    assertThat(GroupOptions.defaults().clock()).isEqualTo(java.time.Clock.systemUTC());
    java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(42),
        java.time.ZoneOffset.UTC);
    GroupOptions o = GroupOptions.defaults().withClock(fixed).withMaxRetainedKeys(7);
    assertThat(o.clock()).isEqualTo(fixed);
    assertThat(o.maxRetainedKeys()).isEqualTo(7);
    assertThatThrownBy(() -> GroupOptions.defaults().withClock(null))
        .isInstanceOf(NullPointerException.class);
  }
}
