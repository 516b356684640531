package org.quicproquo.mls.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.tree.LeafIndex;
import org.junit.jupiter.api.Test;

class SecretTreeTest {
  private final CipherSuite suite =
      CipherSuites.of(CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519, new SecureRandom());
  private final byte[] encryptionSecret = suite.randomBytes(suite.hashLength());

  /** Shorthand for a leaf index. */
  private static LeafIndex leaf(int i) {
    return new LeafIndex(i);
  }

  private SecretTree tree(int leaves, int back, int forward) {
    return new SecretTree(suite, encryptionSecret, leaves, back, forward);
  }

  private static SecretTreeException.Reason reasonOf(ThrowingCall call) {
    try {
      call.run();
    } catch (SecretTreeException e) {
      return e.reason();
    }
    throw new AssertionError("expected a SecretTreeException");
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws SecretTreeException;
  }

  @Test
  void senderAndReceiverDeriveTheSameKeys() throws Exception {
    SecretTree alice = tree(8, 10, 10);
    SecretTree bob = tree(8, 10, 10);
    for (int i = 0; i < 5; i++) {
      RatchetKey sent = alice.nextSendKey(leaf(3), RatchetType.APPLICATION);
      assertThat(sent.generation()).isEqualTo(i);
      assertThat(bob.receiveKey(leaf(3), RatchetType.APPLICATION, i)).isEqualTo(sent);
    }
    RatchetKey hs = alice.nextSendKey(leaf(3), RatchetType.HANDSHAKE);
    assertThat(hs.generation()).isZero();
    assertThat(bob.receiveKey(leaf(3), RatchetType.HANDSHAKE, 0)).isEqualTo(hs);
    assertThat(hs.key()).isNotEqualTo(bob.copy().nextSendKey(leaf(3), RatchetType.APPLICATION).key());
  }

  @Test
  void outOfOrderWithinTheWindow() throws Exception {
    SecretTree sender = tree(4, 5, 5);
    RatchetKey[] keys = new RatchetKey[6];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = sender.nextSendKey(leaf(1), RatchetType.APPLICATION);
    }
    SecretTree receiver = tree(4, 5, 5);
    assertThat(receiver.receiveKey(leaf(1), RatchetType.APPLICATION, 5)).isEqualTo(keys[5]);
    assertThat(receiver.receiveKey(leaf(1), RatchetType.APPLICATION, 2)).isEqualTo(keys[2]);
    assertThat(receiver.receiveKey(leaf(1), RatchetType.APPLICATION, 4)).isEqualTo(keys[4]);
    // generation 0 was skipped but fell out of the 5-generation window when 5 arrived
    assertThat(reasonOf(() -> receiver.receiveKey(leaf(1), RatchetType.APPLICATION, 0)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_TOO_OLD);
    assertThat(receiver.receiveKey(leaf(1), RatchetType.APPLICATION, 1)).isEqualTo(keys[1]);
  }

  @Test
  void typedErrors() throws Exception {
    SecretTree t = tree(4, 3, 10);
    t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 4);
    assertThat(reasonOf(() -> t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 4)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_ALREADY_USED);
    assertThat(reasonOf(() -> t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 1)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_TOO_OLD);
    assertThat(reasonOf(() -> t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 5 + 11)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_TOO_FAR);
    assertThat(reasonOf(() -> t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 1L << 32)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_TOO_FAR);
    assertThat(reasonOf(() -> t.receiveKey(leaf(4), RatchetType.HANDSHAKE, 0)))
        .isEqualTo(SecretTreeException.Reason.LEAF_OUT_OF_RANGE);
    assertThat(reasonOf(() -> t.nextSendKey(leaf(7), RatchetType.HANDSHAKE)))
        .isEqualTo(SecretTreeException.Reason.LEAF_OUT_OF_RANGE);
    // errors leave the ratchet where it was
    assertThat(t.nextGeneration(leaf(0), RatchetType.HANDSHAKE)).isEqualTo(5);
    assertThat(t.receiveKey(leaf(0), RatchetType.HANDSHAKE, 15).generation()).isEqualTo(15);
  }

  @Test
  void zeroBackWindowRefusesEveryPastGeneration() throws Exception {
    SecretTree t = tree(2, 0, 3);
    t.receiveKey(leaf(1), RatchetType.APPLICATION, 2);
    assertThat(reasonOf(() -> t.receiveKey(leaf(1), RatchetType.APPLICATION, 1)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_TOO_OLD);
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(() -> tree(3, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SecretTree(suite, new byte[5], 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copyIsIndependent() throws Exception {
    SecretTree t = tree(4, 10, 10);
    t.nextSendKey(leaf(2), RatchetType.APPLICATION);
    SecretTree c = t.copy();
    RatchetKey fromCopy = c.nextSendKey(leaf(2), RatchetType.APPLICATION);
    assertThat(t.nextGeneration(leaf(2), RatchetType.APPLICATION)).isEqualTo(1);
    assertThat(t.nextSendKey(leaf(2), RatchetType.APPLICATION)).isEqualTo(fromCopy);
  }

  /** One change to a tree: receive generation {@code gen} of leaf {@code leaf}'s application ratchet. */
  private record Receive(int leaf, long gen) {
    void applyTo(SecretTree t) throws SecretTreeException {
      t.receiveKey(new LeafIndex(leaf), RatchetType.APPLICATION, gen);
    }
  }

  private SecretTree replay(int leaves, int maxRetained, List<Receive> ops) throws Exception {
    SecretTree t = new SecretTree(suite, encryptionSecret, leaves, 100, 100, maxRetained);
    for (Receive op : ops) {
      op.applyTo(t);
    }
    return t;
  }

  /**
   * Copies share their state until one side changes it (copy-on-write): whichever side changes,
   * seeds, consumes or evicts after the copy, each tree ends exactly as a tree that saw only its
   * own history, and neither wipes a secret the other still needs.
   */
  @Test
  void copiesThatBothKeepChangingEndAsTheirOwnHistoriesSay() throws Exception {
    int leaves = 512;
    int bound = 60;
    List<Receive> common = List.of(new Receive(3, 10), new Receive(200, 5), new Receive(3, 4),
        new Receive(511, 0));
    List<Receive> forOriginal = List.of(new Receive(3, 2), new Receive(3, 30),
        new Receive(100, 0), new Receive(200, 1));
    List<Receive> forCopy = List.of(new Receive(3, 5), new Receive(200, 40), new Receive(3, 12),
        new Receive(101, 3), new Receive(0, 25));
    SecretTree original = replay(leaves, bound, common);
    SecretTree copy = original.copy();
    SecretTree copyOfCopy = copy.copy();
    for (int i = 0; i < Math.max(forOriginal.size(), forCopy.size()); i++) {
      if (i < forOriginal.size()) {
        forOriginal.get(i).applyTo(original);
      }
      if (i < forCopy.size()) {
        forCopy.get(i).applyTo(copy);
      }
    }
    List<Receive> originalHistory = new java.util.ArrayList<>(common);
    originalHistory.addAll(forOriginal);
    List<Receive> copyHistory = new java.util.ArrayList<>(common);
    copyHistory.addAll(forCopy);
    assertThat(original.toBytes()).isEqualTo(replay(leaves, bound, originalHistory).toBytes());
    assertThat(copy.toBytes()).isEqualTo(replay(leaves, bound, copyHistory).toBytes());
    assertThat(copyOfCopy.toBytes()).isEqualTo(replay(leaves, bound, common).toBytes());
    // the copy evicted down to the bound; the untouched copy of the copy still has every key
    assertThat(copy.retainedKeyCount()).isEqualTo(bound);
    assertThat(copyOfCopy.retainedKeyCount()).isEqualTo(10 + 5 - 1);
    SecretTree sender = tree(leaves, 100, 100);
    RatchetKey expected = null;
    for (int g = 0; g <= 1; g++) {
      expected = sender.nextSendKey(leaf(3), RatchetType.APPLICATION);
    }
    assertThat(copyOfCopy.receiveKey(leaf(3), RatchetType.APPLICATION, 1)).isEqualTo(expected);
  }

  @Test
  void serialisationRoundTripKeepsState() throws Exception {
    SecretTree t = tree(16, 10, 20);
    t.receiveKey(leaf(5), RatchetType.APPLICATION, 7); // leaves 0..6 skipped
    t.nextSendKey(leaf(9), RatchetType.HANDSHAKE);
    SecretTree restored = SecretTree.fromBytes(suite, t.toBytes());
    assertThat(restored.toBytes()).isEqualTo(t.toBytes());
    assertThat(restored.maxBack()).isEqualTo(10);
    assertThat(restored.maxForward()).isEqualTo(20);
    assertThat(restored.receiveKey(leaf(5), RatchetType.APPLICATION, 3))
        .isEqualTo(t.receiveKey(leaf(5), RatchetType.APPLICATION, 3));
    assertThat(restored.receiveKey(leaf(12), RatchetType.HANDSHAKE, 2))
        .isEqualTo(t.receiveKey(leaf(12), RatchetType.HANDSHAKE, 2));
    assertThat(reasonOf(() -> restored.receiveKey(leaf(5), RatchetType.APPLICATION, 7)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_ALREADY_USED);
  }

  @Test
  void restoreRejectsMalformedState() throws Exception {
    SecretTree t = tree(4, 10, 10);
    t.receiveKey(leaf(1), RatchetType.APPLICATION, 3);
    byte[] good = t.toBytes();
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = java.util.Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> SecretTree.fromBytes(suite, truncated)).isInstanceOf(DecodeException.class);
    }
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> SecretTree.fromBytes(suite, trailing)).isInstanceOf(DecodeException.class);
    CipherSuite other = CipherSuites.of(CipherSuiteId.MLS_128_DHKEMP256_AES128GCM_SHA256_P256, new SecureRandom());
    assertThatThrownBy(() -> SecretTree.fromBytes(other, good)).isInstanceOf(DecodeException.class);
    // a state whose frontier does not cover every leaf exactly once
    byte[] missingFrontier = new org.quicproquo.mls.codec.TlsWriter()
        .u16(suite.id().code()).u32(4).u32(10).u32(10).u32(100).u64(0).opaque(new byte[0])
        .opaque(new byte[0])
        .toByteArray();
    assertThatThrownBy(() -> SecretTree.fromBytes(suite, missingFrontier)).isInstanceOf(DecodeException.class);
  }

  @Test
  void peekChangesNothingUntilConsumed() throws Exception {
    SecretTree sender = tree(8, 10, 10);
    RatchetKey[] sent = new RatchetKey[4];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = sender.nextSendKey(leaf(5), RatchetType.APPLICATION);
    }
    SecretTree t = tree(8, 10, 10);
    byte[] before = t.toBytes();
    // first use of an unseeded leaf, a jump ahead: neither seeds nor advances anything
    SecretTree.PendingKey ahead = t.peekKey(leaf(5), RatchetType.APPLICATION, 3);
    assertThat(ahead.key()).isEqualTo(sent[3]);
    assertThat(t.toBytes()).isEqualTo(before);
    assertThat(t.peekKey(leaf(5), RatchetType.APPLICATION, 3).key()).isEqualTo(sent[3]);

    ahead.consume();
    assertThat(t.nextGeneration(leaf(5), RatchetType.APPLICATION)).isEqualTo(4);
    assertThat(t.retainedKeyCount()).isEqualTo(3);
    assertThat(reasonOf(() -> t.peekKey(leaf(5), RatchetType.APPLICATION, 3)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_ALREADY_USED);
    assertThatThrownBy(ahead::consume).isInstanceOf(IllegalStateException.class);

    // a retained skipped key: peeking keeps it, consuming deletes it
    byte[] withSkipped = t.toBytes();
    SecretTree.PendingKey old = t.peekKey(leaf(5), RatchetType.APPLICATION, 1);
    assertThat(t.toBytes()).isEqualTo(withSkipped);
    old.consume();
    assertThat(old.key()).isEqualTo(sent[1]);
    assertThat(t.retainedKeyCount()).isEqualTo(2);
    assertThat(reasonOf(() -> t.receiveKey(leaf(5), RatchetType.APPLICATION, 1)))
        .isEqualTo(SecretTreeException.Reason.GENERATION_ALREADY_USED);
  }

  @Test
  void consumedCopyLeavesTheOriginalAsItWas() throws Exception {
    SecretTree t = tree(8, 10, 10);
    t.receiveKey(leaf(3), RatchetType.APPLICATION, 4); // retains 0..3
    byte[] before = t.toBytes();
    SecretTree.PendingKey ahead = t.peekKey(leaf(3), RatchetType.APPLICATION, 8);
    SecretTree.PendingKey skipped = t.peekKey(leaf(3), RatchetType.APPLICATION, 2);
    SecretTree.PendingKey unseeded = t.peekKey(leaf(6), RatchetType.HANDSHAKE, 1);

    for (SecretTree.PendingKey p : List.of(ahead, skipped, unseeded)) {
      SecretTree staged = p.consumedCopy();
      assertThat(t.toBytes()).isEqualTo(before);
      SecretTree expected = t.copy();
      expected.receiveKey(leaf(p == unseeded ? 6 : 3),
          p == unseeded ? RatchetType.HANDSHAKE : RatchetType.APPLICATION, p.key().generation());
      assertThat(staged.toBytes()).isEqualTo(expected.toBytes());
      // the copy's deletions do not reach into the original, and vice versa
      staged.receiveKey(leaf(3), RatchetType.APPLICATION, 1);
      assertThat(t.toBytes()).isEqualTo(before);
    }
    ahead.consume();
    assertThat(t.retainedKeyCount()).isEqualTo(4 + 3);
    assertThat(skipped.consumedCopy().retainedKeyCount()).isEqualTo(6);
  }

  @Test
  void stalePendingKeyLooksTheKeyUpAgain() throws Exception {
    SecretTree t = tree(4, 10, 10);
    SecretTree.PendingKey first = t.peekKey(leaf(2), RatchetType.HANDSHAKE, 2);
    SecretTree.PendingKey again = t.peekKey(leaf(2), RatchetType.HANDSHAKE, 2);
    SecretTree.PendingKey earlier = t.peekKey(leaf(2), RatchetType.HANDSHAKE, 1);
    first.consume();
    // the tree moved past generation 2: the second handle cannot consume it again
    assertThat(reasonOf(again::consume)).isEqualTo(SecretTreeException.Reason.GENERATION_ALREADY_USED);
    // generation 1 is now a retained skipped key; the stale handle consumes that one
    earlier.consume();
    assertThat(t.retainedKeyCount()).isEqualTo(1);
    assertThat(t.nextGeneration(leaf(2), RatchetType.HANDSHAKE)).isEqualTo(3);
  }

  @Test
  void retainedKeysAreBoundedAcrossTheTreeOldestFirst() throws Exception {
    SecretTree t = new SecretTree(suite, encryptionSecret, 4, 100, 100, 50);
    t.receiveKey(leaf(0), RatchetType.APPLICATION, 40); // retains 0..39
    t.receiveKey(leaf(1), RatchetType.HANDSHAKE, 30); // retains 0..29: 70 > 50, evict 20 oldest
    assertThat(t.retainedKeyCount()).isEqualTo(50);
    for (int g = 0; g < 20; g++) {
      int gen = g;
      assertThat(reasonOf(() -> t.peekKey(leaf(0), RatchetType.APPLICATION, gen)))
          .isEqualTo(SecretTreeException.Reason.KEY_EVICTED);
    }
    SecretTree sender = tree(4, 100, 100);
    RatchetKey expected = null;
    for (int g = 0; g <= 20; g++) {
      expected = sender.nextSendKey(leaf(0), RatchetType.APPLICATION);
    }
    assertThat(t.receiveKey(leaf(0), RatchetType.APPLICATION, 20)).isEqualTo(expected);
    assertThat(t.retainedKeyCount()).isEqualTo(49);
    // after a restore the retention order is the same: the next eviction takes leaf 0's gen 21
    SecretTree restored = SecretTree.fromBytes(suite, t.toBytes());
    assertThat(restored.maxRetained()).isEqualTo(50);
    restored.receiveKey(leaf(2), RatchetType.APPLICATION, 2); // retains 2 more: 51 > 50
    assertThat(restored.retainedKeyCount()).isEqualTo(50);
    assertThat(reasonOf(() -> restored.peekKey(leaf(0), RatchetType.APPLICATION, 21)))
        .isEqualTo(SecretTreeException.Reason.KEY_EVICTED);
    assertThat(restored.peekKey(leaf(0), RatchetType.APPLICATION, 22).key().generation())
        .isEqualTo(22);
    assertThat(restored.peekKey(leaf(1), RatchetType.HANDSHAKE, 0).key().generation()).isZero();
  }

  @Test
  void aMaliciousSenderCannotMakeTheTreeHoldMoreThanTheBound() throws Exception {
    SecretTree t = new SecretTree(suite, encryptionSecret, 64, 1000, 1000, 300);
    for (int l = 0; l < 64; l++) {
      for (RatchetType type : RatchetType.values()) {
        t.receiveKey(leaf(l), type, 20);
      }
    }
    assertThat(t.retainedKeyCount()).isEqualTo(300);
    assertThat(t.copy().retainedKeyCount()).isEqualTo(300);
    byte[] state = t.toBytes();
    assertThat(SecretTree.fromBytes(suite, state).toBytes()).isEqualTo(state);
  }

  @Test
  void restoreRejectsMoreRetainedKeysThanTheBound() throws Exception {
    SecretTree t = new SecretTree(suite, encryptionSecret, 2, 10, 10, 5);
    t.receiveKey(leaf(0), RatchetType.APPLICATION, 4); // exactly 4 retained
    byte[] state = t.toBytes();
    int offset = 2 + 4 + 4 + 4; // cipher_suite, leaf_count, max_back, max_forward
    state[offset + 3] = 3; // max_retained = 3 < 4 retained
    assertThatThrownBy(() -> SecretTree.fromBytes(suite, state)).isInstanceOf(DecodeException.class);
  }

  /** Forward secrecy (§9.2): nothing in the state can re-derive a key that was handed out. */
  @Test
  void consumedKeysAndExpandedSecretsAreGoneFromTheState() throws Exception {
    SecretTree t = tree(8, 10, 10);
    RatchetKey k0 = t.receiveKey(leaf(6), RatchetType.APPLICATION, 0);
    RatchetKey k3 = t.receiveKey(leaf(6), RatchetType.APPLICATION, 3);
    RatchetKey h0 = t.nextSendKey(leaf(6), RatchetType.HANDSHAKE);
    byte[] state = t.toBytes();

    assertThat(contains(state, encryptionSecret)).as("root secret").isFalse();
    for (RatchetKey used : new RatchetKey[] {k0, k3, h0}) {
      assertThat(contains(state, used.key())).as("used key").isFalse();
      assertThat(contains(state, used.nonce())).as("used nonce").isFalse();
    }
    // The ratchet secret that produced generation 3 is gone too: only generation 4's remains.
    SecretTree fresh = tree(8, 10, 10);
    fresh.receiveKey(leaf(6), RatchetType.APPLICATION, 2);
    byte[] freshState = fresh.toBytes();
    assertThat(t.nextGeneration(leaf(6), RatchetType.APPLICATION)).isEqualTo(4);
    assertThat(fresh.nextGeneration(leaf(6), RatchetType.APPLICATION)).isEqualTo(3);
    // the generation-3 ratchet secret is in fresh's state but not in t's
    byte[] secretOfGen3 = ratchetSecret(freshState, 6, RatchetType.APPLICATION);
    assertThat(contains(state, secretOfGen3)).isFalse();
    // skipped generations 1 and 2 stay available until used, then vanish
    RatchetKey k1 = t.receiveKey(leaf(6), RatchetType.APPLICATION, 1);
    assertThat(contains(state, k1.key())).isTrue();
    assertThat(contains(t.toBytes(), k1.key())).isFalse();
  }

  /** The current secret of one ratchet, read back from a restored tree's encoding. */
  private byte[] ratchetSecret(byte[] state, int leaf, RatchetType type) throws Exception {
    org.quicproquo.mls.codec.TlsReader r = new org.quicproquo.mls.codec.TlsReader(state);
    r.u16();
    r.u32();
    r.u32();
    r.u32();
    r.u32();
    r.u64();
    r.opaque();
    org.quicproquo.mls.codec.TlsReader leaves = r.slice();
    while (leaves.hasRemaining()) {
      long l = leaves.u32();
      byte[] found = null;
      for (RatchetType rt : RatchetType.values()) {
        leaves.u64();
        leaves.u64();
        byte[] secret = leaves.opaque();
        leaves.opaque();
        if (rt == type) {
          found = secret;
        }
      }
      if (l == leaf) {
        return found;
      }
    }
    throw new AssertionError("leaf not seeded");
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
