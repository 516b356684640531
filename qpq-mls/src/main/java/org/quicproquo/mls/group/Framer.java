package org.quicproquo.mls.group;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.framing.ContentSignature;
import org.quicproquo.mls.framing.FramingException;
import org.quicproquo.mls.framing.MessageKeySource;
import org.quicproquo.mls.framing.PrivateMessageProtection;
import org.quicproquo.mls.framing.PublicMessageProtection;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.Extension;
import org.quicproquo.mls.message.ExtensionType;
import org.quicproquo.mls.message.ExternalSender;
import org.quicproquo.mls.message.FramedContent;
import org.quicproquo.mls.message.FramedContentAuthData;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.schedule.RatchetKey;
import org.quicproquo.mls.schedule.SecretTree;
import org.quicproquo.mls.schedule.SecretTreeException;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.LeafNode;

/**
 * Signs and protects outgoing content, and opens and authenticates incoming messages, against one
 * epoch's state (RFC 9420 §6). Never changes the state it is given: secret-tree consumption
 * happens on a copy that is returned with the result, made only for a message that authenticated.
 */
final class Framer {
  private Framer() {}

  /**
   * Outgoing message plus the secret tree after the keys it consumed, and the content key it
   * used (null for a PublicMessage), which is gone from that tree.
   */
  record Sealed(MLSMessage message, SecretTree secretTree, RatchetKey usedKey) {}

  /**
   * An incoming message whose framing, group, epoch, membership tag and (except for
   * new_member_commit senders, whose key is in the commit's path) signature checked out.
   */
  record Opened(AuthenticatedContent content, SecretTree secretTree, RatchetKey consumedKey) {}

  /** Signs {@code fc} as this member for {@code wf}; {@code confirmationTag} only for commits. */
  static AuthenticatedContent sign(GroupState s, WireFormat wf, FramedContent fc,
      byte[] confirmationTag) throws MlsException {
    byte[] sig = ContentSignature.sign(s.suite(), wf, fc, s.context(), s.signaturePrivateKey());
    return new AuthenticatedContent(wf, fc, new FramedContentAuthData(sig, confirmationTag));
  }

  /** Wraps signed content as a PublicMessage or PrivateMessage of the epoch of {@code s}. */
  static Sealed seal(GroupState s, AuthenticatedContent ac) throws MlsException {
    if (ac.wireFormat() == WireFormat.MLS_PUBLIC_MESSAGE) {
      PublicMessage pm = PublicMessageProtection.protect(s.suite(), ac, s.context(),
          s.secrets().membershipKey());
      return new Sealed(MLSMessage.of(pm), s.secretTree(), null);
    }
    SecretTree copy = s.secretTree().copy();
    MessageKeySource tree = MessageKeySource.of(copy);
    RatchetKey[] used = new RatchetKey[1];
    MessageKeySource recording = new MessageKeySource() {
      @Override
      public RatchetKey nextKey(LeafIndex sender, ContentType type) throws MlsException {
        used[0] = tree.nextKey(sender, type);
        return used[0];
      }

      @Override
      public RatchetKey keyFor(LeafIndex sender, ContentType type, long generation) {
        throw new UnsupportedOperationException("sealing only takes the next key");
      }
    };
    PrivateMessage pm = PrivateMessageProtection.protect(s.suite(), ac,
        s.secrets().senderDataSecret(), recording, s.suite().randomBytes(4),
        s.options().paddingLength());
    return new Sealed(MLSMessage.of(pm), copy, used[0]);
  }

  /** Opens {@code msg} (PublicMessage or PrivateMessage) for the epoch of {@code s}. */
  static Opened open(GroupState s, MLSMessage msg) throws MessageRejectedException {
    try {
      return switch (msg.wireFormat()) {
        case MLS_PUBLIC_MESSAGE -> openPublic(s, msg.as(PublicMessage.class));
        case MLS_PRIVATE_MESSAGE -> openPrivate(s, msg.as(PrivateMessage.class));
        default -> throw new MessageRejectedException(RejectReason.MALFORMED,
            "a group processes PublicMessage and PrivateMessage, not " + msg.wireFormat());
      };
    } catch (DecodeException e) {
      throw new MessageRejectedException(RejectReason.MALFORMED, e.getMessage(), e);
    }
  }

  private static void checkGroupAndEpoch(GroupState s, byte[] groupId, long epoch)
      throws MessageRejectedException {
    if (!Arrays.equals(groupId, s.groupId())) {
      throw new MessageRejectedException(RejectReason.WRONG_GROUP_ID, "message for another group");
    }
    if (epoch != s.epoch()) {
      throw new MessageRejectedException(RejectReason.WRONG_EPOCH,
          "message for epoch " + epoch + ", group is in epoch " + s.epoch());
    }
  }

  private static Opened openPublic(GroupState s, PublicMessage pm)
      throws MessageRejectedException {
    checkGroupAndEpoch(s, pm.content().groupId(), pm.content().epoch());
    Sender sender = pm.content().sender();
    if (sender instanceof Sender.Member m) {
      requireMember(s, m.leafIndex());
    }
    AuthenticatedContent ac;
    try {
      ac = PublicMessageProtection.unprotect(s.suite(), pm, s.context(),
          s.secrets().membershipKey());
    } catch (FramingException e) {
      throw map(e);
    }
    checkSenderAllowed(ac);
    verifySignature(s, ac);
    return new Opened(ac, s.secretTree(), null);
  }

  /**
   * Opens a PrivateMessage without copying or changing the epoch's secret tree: the content key
   * is only peeked, and the tree with that key consumed is built (by {@link
   * SecretTree.PendingKey#consumedCopy()}) once the AEAD tag and the signature checked out. A
   * forged or unverifiable message therefore costs no copy and burns no generation.
   */
  private static Opened openPrivate(GroupState s, PrivateMessage pm)
      throws MessageRejectedException {
    checkGroupAndEpoch(s, pm.groupId(), pm.epoch());
    PeekingKeySource keys = new PeekingKeySource(s.secretTree());
    AuthenticatedContent ac;
    try {
      var sd = PrivateMessageProtection.decryptSenderData(s.suite(), pm,
          s.secrets().senderDataSecret());
      requireMember(s, sd.leafIndex());
      ac = PrivateMessageProtection.unprotect(s.suite(), pm, s.secrets().senderDataSecret(), keys);
    } catch (FramingException e) {
      throw map(e);
    } catch (MessageRejectedException e) {
      throw e;
    } catch (MlsException e) {
      throw new MessageRejectedException(RejectReason.DECRYPTION_FAILED, e.getMessage(), e);
    }
    verifySignature(s, ac);
    SecretTree.PendingKey used = keys.authenticated();
    try {
      return new Opened(ac, used.consumedCopy(), used.key());
    } catch (SecretTreeException e) {
      // Cannot happen (nothing touched the tree since the peek); still a rejection, never a success.
      throw new MessageRejectedException(reasonFor(e), e.getMessage(), e);
    }
  }

  /**
   * A {@link MessageKeySource} for receiving only, over a secret tree it must not change (the
   * tree belongs to the current immutable {@link GroupState}): {@code peekKey} looks the key up,
   * and {@code consume()} merely records that the AEAD check passed, leaving the actual
   * consumption to the caller once everything else verified. Unlike {@link
   * MessageKeySource#of(SecretTree)}, nothing here mutates the tree.
   */
  private static final class PeekingKeySource implements MessageKeySource {
    private final SecretTree tree;
    private SecretTree.PendingKey authenticated;

    PeekingKeySource(SecretTree tree) {
      this.tree = tree;
    }

    @Override
    public RatchetKey nextKey(LeafIndex sender, ContentType type) {
      throw new UnsupportedOperationException("a receiving key source does not send");
    }

    @Override
    public RatchetKey keyFor(LeafIndex sender, ContentType type, long generation) {
      // keyFor consumes at once, which would defeat the point; unprotect uses peekKey.
      throw new UnsupportedOperationException("use peekKey");
    }

    @Override
    public PendingKey peekKey(LeafIndex sender, ContentType type, long generation)
        throws MlsException {
      SecretTree.PendingKey pending = tree.peekKey(sender, MessageKeySource.ratchetFor(type),
          generation);
      return new PendingKey() {
        @Override
        public RatchetKey key() {
          return pending.key();
        }

        @Override
        public void consume() {
          authenticated = pending;
        }
      };
    }

    /** The key whose ciphertext authenticated; only called after a successful unprotect. */
    SecretTree.PendingKey authenticated() {
      if (authenticated == null) {
        throw new IllegalStateException("unprotect returned without consuming its key");
      }
      return authenticated;
    }
  }

  private static void requireMember(GroupState s, LeafIndex leaf) throws MessageRejectedException {
    if (leaf.value() >= s.tree().leafCount() || s.tree().leaf(leaf) == null) {
      throw new MessageRejectedException(RejectReason.NOT_A_MEMBER,
          "leaf " + leaf.value() + " is not a member");
    }
  }

  /** §6: which sender types may send which content. */
  private static void checkSenderAllowed(AuthenticatedContent ac) throws MessageRejectedException {
    ContentType type = ac.content().contentType();
    boolean ok = switch (ac.sender().type()) {
      case MEMBER -> true;
      case EXTERNAL, NEW_MEMBER_PROPOSAL -> type == ContentType.PROPOSAL;
      case NEW_MEMBER_COMMIT -> type == ContentType.COMMIT;
    };
    if (!ok) {
      throw new MessageRejectedException(RejectReason.SENDER_NOT_ALLOWED,
          ac.sender().type() + " may not send " + type);
    }
  }

  private static void verifySignature(GroupState s, AuthenticatedContent ac)
      throws MessageRejectedException {
    Sender sender = ac.sender();
    byte[] key;
    if (sender instanceof Sender.Member m) {
      key = s.tree().leaf(m.leafIndex()).signatureKey();
    } else if (sender instanceof Sender.External e) {
      key = externalSenderKey(s, e.senderIndex());
    } else if (sender instanceof Sender.NewMemberProposal) {
      key = newMemberProposalKey(ac);
    } else {
      // new_member_commit: the joiner's key arrives in the commit's path; the commit flow checks it.
      key = null;
    }
    if (key != null && !ContentSignature.verify(s.suite(), ac, s.context(), key)) {
      throw new MessageRejectedException(RejectReason.BAD_SIGNATURE,
          "signature does not verify for " + ac.sender());
    }
  }

  /** Checks a new_member_commit signature once the joiner's leaf is known. */
  static void verifyNewMemberCommit(GroupState s, AuthenticatedContent ac, LeafNode joiner)
      throws MessageRejectedException {
    if (!ContentSignature.verify(s.suite(), ac, s.context(), joiner.signatureKey())) {
      throw new MessageRejectedException(RejectReason.BAD_SIGNATURE,
          "external commit signature does not verify");
    }
  }

  private static byte[] externalSenderKey(GroupState s, long index)
      throws MessageRejectedException {
    for (Extension e : s.context().extensions()) {
      if (e.extensionType() == ExtensionType.EXTERNAL_SENDERS) {
        try {
          List<ExternalSender> senders = ExternalSender.listFromExtension(e);
          if (index < senders.size()) {
            return senders.get((int) index).signatureKey();
          }
        } catch (DecodeException ex) {
          throw new MessageRejectedException(RejectReason.MALFORMED,
              "bad external_senders extension", ex);
        }
      }
    }
    throw new MessageRejectedException(RejectReason.NOT_A_MEMBER,
        "no external sender " + index);
  }

  private static byte[] newMemberProposalKey(AuthenticatedContent ac)
      throws MessageRejectedException {
    if (ac.content().content() instanceof Proposal.Add add) {
      return add.keyPackage().leafNode().signatureKey();
    }
    throw new MessageRejectedException(RejectReason.SENDER_NOT_ALLOWED,
        "a new_member_proposal sender may only propose Add");
  }

  static MessageRejectedException map(FramingException e) {
    RejectReason r = switch (e.reason()) {
      case BAD_SIGNATURE -> RejectReason.BAD_SIGNATURE;
      case BAD_MEMBERSHIP_TAG -> RejectReason.BAD_MEMBERSHIP_TAG;
      case BAD_CONFIRMATION_TAG -> RejectReason.BAD_CONFIRMATION_TAG;
      case SENDER_NOT_ALLOWED, APPLICATION_IN_PUBLIC_MESSAGE -> RejectReason.SENDER_NOT_ALLOWED;
      case DECRYPTION_FAILED -> RejectReason.DECRYPTION_FAILED;
      case MALFORMED_PLAINTEXT -> RejectReason.MALFORMED;
      case NO_KEY -> e.getCause() instanceof SecretTreeException st
          ? reasonFor(st) : RejectReason.GENERATION_REUSED_OR_TOO_FAR;
      case WRONG_GROUP_OR_EPOCH -> RejectReason.WRONG_EPOCH;
      case NOT_ADDRESSED_TO_US, CIPHER_SUITE_MISMATCH -> RejectReason.INVALID_WELCOME;
      case BAD_GROUP_INFO_SIGNATURE -> RejectReason.BAD_SIGNATURE;
      // Reasons added to the framing layer later are still rejections, never successes.
      default -> RejectReason.MALFORMED;
    };
    return new MessageRejectedException(r, e.getMessage(), e);
  }

  /** Why the secret tree had no key for a received generation. */
  private static RejectReason reasonFor(SecretTreeException e) {
    return switch (e.reason()) {
      case KEY_EVICTED -> RejectReason.KEY_EVICTED;
      case LEAF_OUT_OF_RANGE -> RejectReason.NOT_A_MEMBER;
      default -> RejectReason.GENERATION_REUSED_OR_TOO_FAR;
    };
  }
}
