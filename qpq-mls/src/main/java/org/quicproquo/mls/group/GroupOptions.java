package org.quicproquo.mls.group;

import java.time.Clock;
import java.util.Objects;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.schedule.SecretTree;

/**
 * How this member sends handshake messages, builds Welcomes and bounds its receiving state.
 * Options are local policy, not group state other members see; they are saved with the group,
 * except {@link #clock()}, which is not persisted: {@link Group#restore(byte[],
 * java.security.SecureRandom)} uses {@link Clock#systemUTC()} and
 * {@link Group#restore(byte[], java.security.SecureRandom, Clock)} the given clock.
 *
 * @param encryptHandshake send proposals and commits as PrivateMessage (true) or PublicMessage
 *     (false, which lets a delivery service read them, RFC 9420 §6)
 * @param ratchetTreeInWelcome put the ratchet_tree extension (§12.4.3.3) in GroupInfos and
 *     Welcomes, so joiners need no out-of-band tree
 * @param paddingLength zero bytes appended to every PrivateMessage plaintext (§6.3.1)
 * @param maxRetainedKeys how many skipped (out-of-order) message keys each epoch's secret tree
 *     keeps at most across all senders, oldest dropped first (§9.2); a message whose key was
 *     dropped is rejected as {@link RejectReason#KEY_EVICTED}. Bounds memory and saved-state size
 *     against senders that skip generations.
 * @param clock the time against which KeyPackage lifetimes (§7.2 not_before / not_after) are
 *     checked: of Adds this member proposes, commits or receives (§10.1, §12.2) and of the
 *     key_package-sourced leaves of a tree it joins (§12.4.3.1, §7.3). Injected so tests and
 *     applications with a trusted time source control it.
 */
public record GroupOptions(boolean encryptHandshake, boolean ratchetTreeInWelcome,
    int paddingLength, int maxRetainedKeys, Clock clock) {

  /** Largest padding accepted, so a saved state cannot ask for giant allocations. */
  public static final int MAX_PADDING = 1 << 16;

  /** Largest retained-key cap accepted (each key is a few dozen bytes in memory and saved). */
  public static final int MAX_RETAINED_KEYS = 1 << 20;

  public GroupOptions {
    if (paddingLength < 0 || paddingLength > MAX_PADDING) {
      throw new IllegalArgumentException("padding length out of range: " + paddingLength);
    }
    if (maxRetainedKeys < 0 || maxRetainedKeys > MAX_RETAINED_KEYS) {
      throw new IllegalArgumentException("retained-key cap out of range: " + maxRetainedKeys);
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** Options with the system UTC clock. */
  public GroupOptions(boolean encryptHandshake, boolean ratchetTreeInWelcome, int paddingLength,
      int maxRetainedKeys) {
    this(encryptHandshake, ratchetTreeInWelcome, paddingLength, maxRetainedKeys,
        Clock.systemUTC());
  }

  /** Options with the secret tree's default retained-key cap ({@link SecretTree#DEFAULT_MAX_RETAINED}) and the system UTC clock. */
  public GroupOptions(boolean encryptHandshake, boolean ratchetTreeInWelcome, int paddingLength) {
    this(encryptHandshake, ratchetTreeInWelcome, paddingLength, SecretTree.DEFAULT_MAX_RETAINED);
  }

  /** PublicMessage handshakes (readable by a sequencing delivery service), tree in Welcome, no padding, default key cap. */
  public static GroupOptions defaults() {
    return new GroupOptions(false, true, 0);
  }

  /** These options with another retained-key cap. */
  public GroupOptions withMaxRetainedKeys(int cap) {
    return new GroupOptions(encryptHandshake, ratchetTreeInWelcome, paddingLength, cap, clock);
  }

  /** These options with another clock for lifetime checks. */
  public GroupOptions withClock(Clock newClock) {
    return new GroupOptions(encryptHandshake, ratchetTreeInWelcome, paddingLength,
        maxRetainedKeys, newClock);
  }

  /** A fresh secret tree for an epoch (§9) that honours {@link #maxRetainedKeys()}. */
  SecretTree secretTree(CipherSuite suite, byte[] encryptionSecret,
      int leafCount) {
    return new SecretTree(suite, encryptionSecret, leafCount, SecretTree.DEFAULT_MAX_BACK,
        SecretTree.DEFAULT_MAX_FORWARD, maxRetainedKeys);
  }
}
