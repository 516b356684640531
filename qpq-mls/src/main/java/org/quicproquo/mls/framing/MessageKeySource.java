package org.quicproquo.mls.framing;

import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * Where PrivateMessage protection gets its content keys: the epoch's secret tree (§9), with the
 * handshake ratchet for proposals and commits and the application ratchet for application data.
 * Implementations own the ratchet state (and the forward-secrecy deletion it requires).
 */
public interface MessageKeySource {
  /** The next unused key of {@code sender}'s ratchet for {@code type}; consumes it. */
  RatchetKey nextKey(LeafIndex sender, ContentType type) throws MlsException;

  /**
   * The key of {@code generation} of {@code sender}'s ratchet for {@code type}, for decryption;
   * throws if the leaf is not a member, the generation was already consumed or lies too far ahead.
   */
  RatchetKey keyFor(LeafIndex sender, ContentType type, long generation) throws MlsException;
}
