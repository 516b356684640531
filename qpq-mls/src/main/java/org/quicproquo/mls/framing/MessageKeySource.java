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

  /**
   * A key for decryption that is deleted from the source only by {@link #consume()}, so that a
   * message failing its AEAD check leaves the ratchet state untouched (otherwise anyone able to
   * produce valid sender data could burn generations).
   */
  interface PendingKey {
    /** The key and nonce. */
    RatchetKey key();

    /** Deletes the key from the source; call once the ciphertext authenticated. */
    void consume() throws MlsException;
  }

  /**
   * The key of {@code generation} of {@code sender}'s ratchet for {@code type}, not yet consumed.
   * The default implementation consumes at once via {@link #keyFor}; sources over a
   * {@link SecretTree} consume only on {@link PendingKey#consume()}.
   */
  default PendingKey peekKey(LeafIndex sender, ContentType type, long generation)
      throws MlsException {
    RatchetKey key = keyFor(sender, type, generation);
    return new PendingKey() {
      @Override
      public RatchetKey key() {
        return key;
      }

      @Override
      public void consume() {}
    };
  }

  /** The ratchet that protects content of {@code type} (§9.1): handshake unless application. */
  static RatchetType ratchetFor(ContentType type) {
    return type == ContentType.APPLICATION ? RatchetType.APPLICATION : RatchetType.HANDSHAKE;
  }

  /**
   * Keys straight from {@code tree}; keys from {@link #nextKey} and {@link #keyFor} are consumed
   * from it at once, keys from {@link #peekKey} when their {@link PendingKey#consume()} runs. The caller owns the
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

      @Override
      public PendingKey peekKey(LeafIndex sender, ContentType type, long generation)
          throws MlsException {
        SecretTree.PendingKey pending = tree.peekKey(sender, ratchetFor(type), generation);
        return new PendingKey() {
          @Override
          public RatchetKey key() {
            return pending.key();
          }

          @Override
          public void consume() throws MlsException {
            pending.consume();
          }
        };
      }
    };
  }
}
