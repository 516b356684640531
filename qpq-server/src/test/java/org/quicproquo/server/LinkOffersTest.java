package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.quicproquo.server.store.UserName;

class LinkOffersTest {
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final LinkOffers links = new LinkOffers(clock, Duration.ofMinutes(10),
      Duration.ofHours(1), 3);
  private final UserName alice = UserName.of("alice");
  private final UserName bob = UserName.of("bob");

  private static byte[] id(int b) {
    byte[] id = new byte[LinkOffers.LOOKUP_ID_BYTES];
    id[0] = (byte) b;
    return id;
  }

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void fails(Runnable r, String code) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(LinkOffers.LinkException.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void fullExchange() {
    Instant expires = links.open(alice, id(1), b("offer"), 0);
    assertThat(expires).isEqualTo(clock.now.plus(Duration.ofMinutes(10)));
    assertThat(links.join(id(1), new byte[0])).isEqualTo(new LinkOffers.Joined(b("offer"),
        new byte[0]));
    assertThat(links.answer(alice, id(1), new byte[0])).isEmpty();
    assertThat(links.join(id(1), b("req")).reply()).isEmpty();
    assertThat(links.answer(alice, id(1), new byte[0])).isEqualTo(b("req"));
    assertThat(links.answer(alice, id(1), b("reply"))).isEqualTo(b("req"));
    assertThat(links.answer(alice, id(1), b("reply"))).isEqualTo(b("req")); // retry is fine
    assertThat(links.join(id(1), b("req")).reply()).isEqualTo(b("reply"));
  }

  @Test
  void theFirstRequestWinsAndEveryOtherUseIsRefused() {
    links.open(alice, id(1), b("offer"), 0);
    links.join(id(1), b("req"));
    fails(() -> links.join(id(1), b("other")), NodeErrors.LINK_USED);
    fails(() -> links.join(id(1), new byte[0]), NodeErrors.LINK_USED);
    links.answer(alice, id(1), b("reply"));
    fails(() -> links.answer(alice, id(1), b("reply2")), NodeErrors.LINK_USED);
    assertThat(links.join(id(1), b("req")).reply()).isEqualTo(b("reply"));
  }

  @Test
  void replyBeforeRequestAndOtherOwnersAreRefused() {
    links.open(alice, id(1), b("offer"), 0);
    fails(() -> links.answer(alice, id(1), b("reply")), NodeErrors.LINK_USED);
    fails(() -> links.answer(bob, id(1), new byte[0]), NodeErrors.NOT_AUTHORIZED);
    fails(() -> links.answer(alice, id(2), new byte[0]), NodeErrors.LINK_NOT_FOUND);
  }

  @Test
  void expiredLinksAnswerExpiredThenAreForgotten() {
    links.open(alice, id(1), b("offer"), 60);
    clock.now = clock.now.plusSeconds(59);
    links.join(id(1), new byte[0]);
    clock.now = clock.now.plusSeconds(1);
    fails(() -> links.join(id(1), new byte[0]), NodeErrors.LINK_EXPIRED);
    fails(() -> links.answer(alice, id(1), new byte[0]), NodeErrors.LINK_EXPIRED);
    clock.now = clock.now.plus(LinkOffers.EXPIRED_GRACE);
    fails(() -> links.join(id(1), new byte[0]), NodeErrors.LINK_NOT_FOUND);
    assertThat(links.size()).isZero();
  }

  @Test
  void lifetimeIsCappedAtTheMaximum() {
    Instant expires = links.open(alice, id(1), b("offer"), 100_000);
    assertThat(expires).isEqualTo(clock.now.plus(Duration.ofHours(1)));
  }

  @Test
  void oneOpenLinkPerUserAndABoundOverall() {
    links.open(alice, id(1), b("offer"), 0);
    links.open(alice, id(2), b("offer"), 0);
    fails(() -> links.join(id(1), new byte[0]), NodeErrors.LINK_NOT_FOUND);
    fails(() -> links.open(bob, id(2), b("offer"), 0), NodeErrors.LINK_USED);
    links.open(bob, id(3), b("offer"), 0);
    links.open(UserName.of("carol"), id(4), b("offer"), 0);
    fails(() -> links.open(UserName.of("dave"), id(5), b("offer"), 0),
        NodeErrors.QUOTA_EXCEEDED);
    links.closeAll(bob);
    links.open(UserName.of("dave"), id(5), b("offer"), 0);
    assertThat(links.size()).isEqualTo(3);
  }

  @Test
  void malformedArgumentsAreRefused() {
    fails(() -> links.open(alice, new byte[31], b("offer"), 0), NodeErrors.INVALID_ARGUMENT);
    fails(() -> links.open(alice, id(1), new byte[0], 0), NodeErrors.INVALID_ARGUMENT);
    fails(() -> links.open(alice, id(1), new byte[LinkOffers.MAX_SEALED_BYTES + 1], 0),
        NodeErrors.INVALID_ARGUMENT);
    links.open(alice, id(1), b("offer"), 0);
    fails(() -> links.join(id(1), new byte[LinkOffers.MAX_SEALED_BYTES + 1]),
        NodeErrors.INVALID_ARGUMENT);
    fails(() -> links.join(null, new byte[0]), NodeErrors.INVALID_ARGUMENT);
    assertThat(links.join(id(1), new byte[0]).reply()).isEmpty();
  }
}
