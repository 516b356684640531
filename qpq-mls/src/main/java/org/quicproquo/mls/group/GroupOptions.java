package org.quicproquo.mls.group;

/**
 * How this member sends handshake messages and builds Welcomes. Options are local policy, not
 * group state other members see; they are saved with the group.
 *
 * @param encryptHandshake send proposals and commits as PrivateMessage (true) or PublicMessage
 *     (false, which lets a delivery service read them, RFC 9420 §6)
 * @param ratchetTreeInWelcome put the ratchet_tree extension (§12.4.3.3) in GroupInfos and
 *     Welcomes, so joiners need no out-of-band tree
 * @param paddingLength zero bytes appended to every PrivateMessage plaintext (§6.3.1)
 */
public record GroupOptions(boolean encryptHandshake, boolean ratchetTreeInWelcome,
    int paddingLength) {

  /** Largest padding accepted, so a saved state cannot ask for giant allocations. */
  public static final int MAX_PADDING = 1 << 16;

  public GroupOptions {
    if (paddingLength < 0 || paddingLength > MAX_PADDING) {
      throw new IllegalArgumentException("padding length out of range: " + paddingLength);
    }
  }

  /** PublicMessage handshakes (readable by a sequencing delivery service), tree in Welcome, no padding. */
  public static GroupOptions defaults() {
    return new GroupOptions(false, true, 0);
  }
}
