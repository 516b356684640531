package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicproquo.core.keystore.Argon2Params;

/** Link codes, the keys derived from them, and the strict codec of the three link messages. */
class LinkCryptoTest {
  private static final Argon2Params KDF = new Argon2Params(1024, 1, 1);
  private final SecureRandom random = new SecureRandom();

  @Test
  void codesAreTwelveCrockfordCharactersAndForgiveTyping() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      LinkCode c = LinkCode.generate(random);
      assertThat(c.value()).matches("[0-9A-HJKMNP-TV-Z]{12}");
      assertThat(LinkCode.parse(c.display())).isEqualTo(c);
      seen.add(c.value());
    }
    assertThat(seen).hasSize(200);
    assertThat(LinkCode.parse(" abcd efgh-jkmn ")).isEqualTo(new LinkCode("ABCDEFGHJKMN"));
    assertThat(LinkCode.parse("OILo-0000-0000")).isEqualTo(new LinkCode("011000000000"));
    assertThat(new LinkCode("ABCDEFGHJKMN").display()).isEqualTo("ABCD-EFGH-JKMN");
    for (String bad : new String[] {"", "ABCD", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKMU", "ABCD-EFGH-JK!N",
        null}) {
      assertThatThrownBy(() -> LinkCode.parse(bad)).isInstanceOfSatisfying(
          DeviceLinkException.class,
          e -> assertThat(e.reason()).isEqualTo(DeviceLinkException.Reason.MALFORMED_CODE));
    }
  }

  @Test
  void bothSidesDeriveTheSameIdAndKeyAndOtherCodesDoNot() {
    LinkCode code = new LinkCode("ABCDEFGHJKMN");
    LinkSecrets a = LinkSecrets.derive(code, KDF);
    LinkSecrets b = LinkSecrets.derive(LinkCode.parse("abcd-efgh-jkmn"), KDF);
    assertThat(a.lookupId()).hasSize(32).isEqualTo(b.lookupId());
    byte[] sealed = a.seal(LinkSecrets.OFFER, new byte[] {1, 2, 3}, random);
    assertThat(b.open(LinkSecrets.OFFER, sealed)).containsExactly(1, 2, 3);
    LinkSecrets other = LinkSecrets.derive(new LinkCode("ABCDEFGHJKMP"), KDF);
    assertThat(other.lookupId()).isNotEqualTo(a.lookupId());
    assertTampered(() -> other.open(LinkSecrets.OFFER, sealed));
    // a sealed offer does not pass as a reply, and any flipped bit is caught
    assertTampered(() -> b.open(LinkSecrets.REPLY, sealed));
    for (int i = 0; i < sealed.length; i++) {
      byte[] bad = sealed.clone();
      bad[i] ^= 0x40;
      assertTampered(() -> b.open(LinkSecrets.OFFER, bad));
    }
    assertTampered(() -> b.open(LinkSecrets.OFFER, new byte[10]));
  }

  @Test
  void messagesRoundTripAndRejectAnythingElse() {
    LinkMessages.Offer offer = new LinkMessages.Offer("alice", bytes(32));
    assertThat(LinkMessages.Offer.decode(offer.encode())).isEqualTo(offer);
    LinkMessages.Request request = new LinkMessages.Request(bytes(32), bytes(64));
    assertThat(LinkMessages.Request.decode(request.encode())).isEqualTo(request);
    LinkMessages.Reply reply = new LinkMessages.Reply(42, bytes(64), bytes(32));
    assertThat(LinkMessages.Reply.decode(reply.encode())).isEqualTo(reply);
    assertThat(reply.toString()).doesNotContain("identityPrivateKey");
    LinkMessages.Refusal refusal = new LinkMessages.Refusal(LinkMessages.Refusal.TOO_MANY_DEVICES);
    assertThat(LinkMessages.Refusal.decode(refusal.encode())).isEqualTo(refusal);
    assertTampered(() -> LinkMessages.Refusal.decode(new byte[] {1, 9}));

    byte[] good = offer.encode();
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    byte[] version = good.clone();
    version[0] = 2;
    byte[] hugeName = good.clone();
    hugeName[1] = (byte) 0xff;
    for (byte[] bad : new byte[][] {trailing, truncated, version, hugeName, new byte[0]}) {
      assertTampered(() -> LinkMessages.Offer.decode(bad));
    }
    assertTampered(() -> LinkMessages.Request.decode(java.util.Arrays.copyOf(request.encode(),
        50)));
    assertTampered(() -> LinkMessages.Reply.decode(new byte[] {1, 0, 0}));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void assertTampered(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(DeviceLinkException.class,
        e -> assertThat(e.reason()).isEqualTo(DeviceLinkException.Reason.TAMPERED));
  }
}
