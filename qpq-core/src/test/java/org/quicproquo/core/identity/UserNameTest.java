package org.quicproquo.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UserNameTest {
  @Test
  void parseLowerCasesAndSplits() throws Exception {
    UserName name = UserName.parse("Alice.B-1_x@Example.ORG");
    assertThat(name.value()).isEqualTo("alice.b-1_x@example.org");
    assertThat(name.local()).isEqualTo("alice.b-1_x");
    assertThat(name.domain()).isEqualTo("example.org");
    assertThat(name.toBytes()).containsExactly("alice.b-1_x@example.org".getBytes());
  }

  @Test
  void constructorRequiresCanonicalForm() {
    assertThatThrownBy(() -> new UserName("Alice@example.org")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new UserName("a@b").value()).isEqualTo("a@b");
  }

  @Test
  void domainIsOptional() throws Exception {
    UserName name = UserName.parse("Bob");
    assertThat(name.value()).isEqualTo("bob");
    assertThat(name.local()).isEqualTo("bob");
    assertThat(name.domain()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "_alice", "alice-", "@example.org", "alice@", "a@b@c", ".alice@x.org", "alice.@x.org",
      "al..ice@x.org", "al ice@x.org", "alice@x..org", "alice@-x.org", "alice@x-.org", "alice@x.org.",
      "al+ice@x.org", "alice@x_y.org", "alicé@x.org", "alice@\u212aelvin.org"})
  void rejectsBadNames(String input) {
    assertThatThrownBy(() -> UserName.parse(input)).isInstanceOf(InvalidIdentityException.class);
  }

  @Test
  void lengthLimits() throws Exception {
    String local64 = "a".repeat(64);
    assertThat(UserName.parse(local64 + "@x.org").local()).hasSize(64);
    assertThatThrownBy(() -> UserName.parse("a".repeat(65) + "@x.org")).hasMessageContaining("UN-2");
    assertThatThrownBy(() -> UserName.parse("a@" + "b".repeat(64) + ".org")).hasMessageContaining("UN-3");
    String domain = String.join(".", "b".repeat(63), "c".repeat(63), "d".repeat(63), "e".repeat(60));
    assertThat(UserName.parse("a@" + domain).value()).hasSize(254);
    assertThatThrownBy(() -> UserName.parse("ab@" + domain)).hasMessageContaining("UN-1");
    assertThatThrownBy(() -> UserName.parse(null)).isInstanceOf(InvalidIdentityException.class);
  }
}
