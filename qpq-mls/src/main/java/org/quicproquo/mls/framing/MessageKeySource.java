package org.quicproquo.mls.framing;

import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.RatchetType;
import org.quicproquo.mls.schedule.SecretTree;
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

  /** The ratchet that protects content of {@code type} (§9.1): handshake unless application. */
  static RatchetType ratchetFor(ContentType type) {
    return type == ContentType.APPLICATION ? RatchetType.APPLICATION : RatchetType.HANDSHAKE;
  }

  /**
   * Keys straight from {@code tree}; every key handed out is consumed from it. The caller owns the
   * tree and serialises access (SecretTree is not thread-safe).
   */
  static MessageKeySource of(SecretTree tree) {
    return new MessageKeySource() {
      @Override
      public RatchetKey nextKey(LeafIndex sender, ContentType type) throws MlsException {
        return tree.nextSendKey(sender, ratchetFor(type));
      }

      @Override
      public RatchetKey keyFor(LeafIndex sender, ContentType type, long generation)
          throws MlsException {
        return tree.receiveKey(sender, ratchetFor(type), generation);
      }
    };
  }
}
