package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.kt.KeyHistory.ReRegistration.ALLOWED;
import static org.quicproquo.kt.KeyHistory.ReRegistration.FORBIDDEN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyHistoryTest {
  private static final String ALICE = "alice@example.org";
  private static final String BOB = "bob@example.org";

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  /** Builds alice's next entry at a given sequence number and time. */
  private interface Make {
    LogEntry make(long sequence, long timeMs);
  }

  /** A log in which alice's entries are interleaved with bob's, so her sequence numbers have gaps. */
  private static final class Fixture {
    final MerkleLog log = new MerkleLog();
    final List<LogEntry> alice = new ArrayList<>();
    long time = 1_000;

    Fixture add(Make f) {
      log.append(LogEntry.register(log.size(), time, "filler" + log.size() + "@example.org", key(0)));
      LogEntry e = f.make(log.size(), time++);
      log.append(e);
      alice.add(e);
      return this;
    }

    SignedTreeHead sth() {
      return SignedTreeHeadTest.KEY.sign(log.size(), log.rootHash(), time);
    }

    List<KeyHistory.ProvenEntry> proven() {
      List<KeyHistory.ProvenEntry> out = new ArrayList<>();
      for (LogEntry e : alice) {
        out.add(new KeyHistory.ProvenEntry(e, log.inclusionProof(e.sequence(), log.size())));
      }
      return out;
    }

    KeyHistory.KeyState audit(KeyHistory.ReRegistration policy) throws KtException {
      return KeyHistory.audit(ALICE, proven(), sth(), policy);
    }
  }

  @Test
  void validHistoryGivesTheFinalState() throws KtException {
    Fixture f = new Fixture()
        .add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(11)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 2, key(12)))
        .add((s, t) -> LogEntry.keyChanged(s, t, ALICE, key(2)))
        .add((s, t) -> LogEntry.deviceRevoked(s, t, ALICE, 1, key(11)));
    KeyHistory.KeyState state = f.audit(FORBIDDEN);
    assertThat(state.deleted()).isFalse();
    assertThat(state.identityKey()).isEqualTo(key(2));
    assertThat(state.devices()).containsOnlyKeys(2L);
    assertThat(state.devices().get(2L)).isEqualTo(key(12));
    assertThat(state.lastSequence()).isEqualTo(f.alice.get(4).sequence());
  }

  @Test
  void tombstoneAndReRegistrationFollowThePolicy() throws KtException {
    Fixture f = new Fixture()
        .add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(11)))
        .add((s, t) -> LogEntry.deleted(s, t, ALICE));
    KeyHistory.KeyState deleted = f.audit(FORBIDDEN);
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.devices()).isEmpty();
    f.add((s, t) -> LogEntry.register(s, t, ALICE, key(5)));
    expectBad(() -> f.audit(FORBIDDEN), "KH-4");
    KeyHistory.KeyState again = f.audit(ALLOWED);
    assertThat(again.deleted()).isFalse();
    assertThat(again.identityKey()).isEqualTo(key(5));
    assertThat(again.devices()).isEmpty();
  }

  @Test
  void eachRuleIsEnforced() {
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(1)))
        .audit(ALLOWED), "KH-3");
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.register(s, t, ALICE, key(2))).audit(ALLOWED), "KH-4");
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deleted(s, t, ALICE))
        .add((s, t) -> LogEntry.keyChanged(s, t, ALICE, key(2))).audit(ALLOWED), "KH-5");
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(11)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(12))).audit(ALLOWED), "KH-6");
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(11)))
        .add((s, t) -> LogEntry.deviceRevoked(s, t, ALICE, 1, key(12))).audit(ALLOWED), "KH-6");
    expectBad(() -> new Fixture().add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.keyChanged(s, t, ALICE, key(1))).audit(ALLOWED), "KH-7");
  }

  @Test
  void orderAndNamesAreChecked() throws KtException {
    Fixture f = new Fixture()
        .add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.keyChanged(s, t, ALICE, key(2)));
    List<KeyHistory.ProvenEntry> reversed = new ArrayList<>(f.proven());
    java.util.Collections.reverse(reversed);
    expectBad(() -> KeyHistory.audit(ALICE, reversed, f.sth(), ALLOWED), "KH");
    expectBad(() -> KeyHistory.audit(BOB, f.proven(), f.sth(), ALLOWED), "KH-1");
    expectBad(() -> KeyHistory.audit(ALICE, List.of(), f.sth(), ALLOWED), "no entries");

    // Timestamps going back, with otherwise valid inclusion.
    MerkleLog log = new MerkleLog();
    LogEntry a = LogEntry.register(0, 500, ALICE, key(1));
    LogEntry b = LogEntry.keyChanged(1, 400, ALICE, key(2));
    log.append(a);
    log.append(b);
    SignedTreeHead sth = SignedTreeHeadTest.KEY.sign(2, log.rootHash(), 600);
    expectBad(() -> KeyHistory.audit(ALICE, List.of(
        new KeyHistory.ProvenEntry(a, log.inclusionProof(0, 2)),
        new KeyHistory.ProvenEntry(b, log.inclusionProof(1, 2))), sth, ALLOWED), "KH-2");
  }

  @Test
  void anEntryTheLogDoesNotHoldFailsInclusion() {
    Fixture f = new Fixture()
        .add((s, t) -> LogEntry.register(s, t, ALICE, key(1)))
        .add((s, t) -> LogEntry.deviceAdded(s, t, ALICE, 1, key(11)));
    List<KeyHistory.ProvenEntry> proven = new ArrayList<>(f.proven());
    LogEntry original = proven.get(1).entry();
    // The server claims a different device key than the one it logged.
    LogEntry claimed = LogEntry.deviceAdded(original.sequence(), original.timestampMs(), ALICE, 1, key(99));
    proven.set(1, new KeyHistory.ProvenEntry(claimed, proven.get(1).proof()));
    assertThatThrownBy(() -> KeyHistory.audit(ALICE, proven, f.sth(), ALLOWED))
        .isInstanceOf(KtException.class).extracting(t -> ((KtException) t).reason())
        .isEqualTo(KtException.Reason.INCLUSION_FAILED);
  }

  private static void expectBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      String rule) {
    assertThatThrownBy(call).isInstanceOf(KtException.class).hasMessageContaining(rule)
        .extracting(t -> ((KtException) t).reason()).isEqualTo(KtException.Reason.BAD_HISTORY);
  }
}
