package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
  @ParameterizedTest
  @ValueSource(strings = {"alice", "a", "alice.b_c-d9", "alice@example.org", "bob@localhost",
      "x@a-b.c0.example"})
  void validUserNames(String name) {
    assertThat(UserName.of(name).value()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Alice", "al ice", ".alice", "alice.", "-a", "al\u00efce",
      "alice@", "@example.org", "alice@Example.org", "alice@-example.org", "alice@example..org",
      "alice@example.org.", "a@b@c", "alice@exa_mple.org", "alice\n", "\u0430lice"})
  void userNameRulesUn2ToUn4(String name) {
    assertThatThrownBy(() -> UserName.of(name)).isInstanceOf(InvalidValueException.class)
        .hasMessageMatching("UN-[234]: .*");
  }

  @Test
  void userNameRuleUn1BoundsTheLengthFirst() {
    assertThatThrownBy(() -> UserName.of("a".repeat(10_000)))
        .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("UN-1");
    assertThatThrownBy(() -> UserName.of("a".repeat(65)))
        .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("UN-2");
    String longest = "a".repeat(64) + "@" + ("b".repeat(63) + ".").repeat(3) + "c".repeat(61);
    assertThat(UserName.of(longest).domain()).hasValueSatisfying(d -> assertThat(d).hasSize(253));
    assertThatThrownBy(() -> UserName.of(longest + "c"))
        .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("UN-3");
    assertThatThrownBy(() -> UserName.of(null)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void userNameParts() {
    assertThat(UserName.of("alice@example.org").local()).isEqualTo("alice");
    assertThat(UserName.of("alice@example.org").domain()).contains("example.org");
    assertThat(UserName.of("alice").domain()).isEmpty();
  }

  @Test
  void messageIdsAreExactlySixteenBytesComparedByContentAndCopied() {
    byte[] raw = new byte[16];
    MessageId id = new MessageId(raw);
    raw[0] = 1;
    assertThat(id.bytes()[0]).isZero();
    id.bytes()[1] = 9;
    assertThat(id.bytes()[1]).isZero();
    assertThat(id).isEqualTo(new MessageId(new byte[16])).hasSameHashCodeAs(
        new MessageId(new byte[16]));
    assertThatThrownBy(() -> new MessageId(new byte[15])).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new MessageId(new byte[17])).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new MessageId(null)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void groupIdsAreBounded() {
    assertThat(new GroupId(new byte[GroupId.MAX_LENGTH]).bytes()).hasSize(GroupId.MAX_LENGTH);
    assertThat(new GroupId(new byte[] {1, 2})).isEqualTo(new GroupId(new byte[] {1, 2}));
    assertThatThrownBy(() -> new GroupId(new byte[0])).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new GroupId(new byte[GroupId.MAX_LENGTH + 1]))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void epochsAndDeviceIdsAreInRange() {
    assertThat(new Epoch(0).next()).isEqualTo(new Epoch(1));
    assertThatThrownBy(() -> new Epoch(-1)).isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("18446744073709551615");
    assertThatThrownBy(() -> new Epoch(Long.MAX_VALUE).next())
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new DeviceId(0)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new DeviceId(-5)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void recordsCopyTheirBytes() {
    byte[] payload = {1, 2, 3};
    QueuedMessage m = new QueuedMessage(1, new MessageId(new byte[16]), payload,
        java.time.Instant.EPOCH, java.util.Optional.empty());
    payload[0] = 9;
    m.payload()[1] = 9;
    assertThat(m.payload()).containsExactly(1, 2, 3);
  }

  @Test
  void limitsMustBePositive() {
    StoreLimits d = StoreLimits.defaults();
    assertThatThrownBy(() -> new StoreLimits(0, d.maxRecipients(), d.maxQueueLength(),
        d.maxFetch(), d.maxKeyPackageBytes(), d.maxKeyPackagesPerDevice(),
        d.maxKeyPackagesPerUpload(), d.maxGroupInfoBytes(), d.maxPublicKeyBytes(),
        d.maxCertificateBytes(), d.maxDevicesPerUser(), d.dedupeWindow()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
