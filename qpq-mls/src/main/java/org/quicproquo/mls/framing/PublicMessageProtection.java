package org.quicproquo.mls.framing;

import java.util.Arrays;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.SenderType;
import org.quicproquo.mls.message.WireFormat;

/**
 * RFC 9420 §6.2: turning signed AuthenticatedContent into a PublicMessage and back. The
 * signature itself is checked by the caller with {@link ContentSignature}, because the signer's key
 * comes from the ratchet tree (members) or the external_senders extension.
 */
public final class PublicMessageProtection {
  private PublicMessageProtection() {}

  /**
   * Wraps {@code ac} (wire format public, already signed) as a PublicMessage, adding the membership
   * tag for member senders. {@code membershipKey} may be null for non-member senders.
   *
   * @throws FramingException APPLICATION_IN_PUBLIC_MESSAGE for application data, which §6.2 forbids
   */
  public static PublicMessage protect(CipherSuite suite, AuthenticatedContent ac,
      GroupContext context, byte[] membershipKey) throws FramingException {
    if (ac.wireFormat() != WireFormat.MLS_PUBLIC_MESSAGE) {
      throw new IllegalArgumentException("content was signed for " + ac.wireFormat());
    }
    if (ac.content().contentType() == ContentType.APPLICATION) {
      throw new FramingException(FramingException.Reason.APPLICATION_IN_PUBLIC_MESSAGE,
          "application data must be sent as a PrivateMessage");
    }
    checkSenderMayFrame(ac);
    byte[] tag = null;
    if (ac.sender().type() == SenderType.MEMBER) {
      tag = MembershipTag.compute(suite, membershipKey, ac, context);
    }
    return new PublicMessage(ac.content(), ac.auth(), tag);
  }

  /**
   * Checks group id, epoch, sender rules and (for members) the membership tag, and returns the
   * AuthenticatedContent. The signature is NOT checked here.
   */
  public static AuthenticatedContent unprotect(CipherSuite suite, PublicMessage msg,
      GroupContext context, byte[] membershipKey) throws FramingException {
    if (!Arrays.equals(msg.content().groupId(), context.groupId())
        || msg.content().epoch() != context.epoch()) {
      throw new FramingException(FramingException.Reason.WRONG_GROUP_OR_EPOCH,
          "PublicMessage for epoch " + msg.content().epoch());
    }
    if (msg.content().contentType() == ContentType.APPLICATION) {
      throw new FramingException(FramingException.Reason.APPLICATION_IN_PUBLIC_MESSAGE,
          "application data in a PublicMessage");
    }
    AuthenticatedContent ac = msg.authenticatedContent();
    checkSenderMayFrame(ac);
    if (ac.sender().type() == SenderType.MEMBER
        && !MembershipTag.verify(suite, membershipKey, ac, context, msg.membershipTag())) {
      throw new FramingException(FramingException.Reason.BAD_MEMBERSHIP_TAG,
          "membership tag does not verify");
    }
    return ac;
  }

  /**
   * §6 / §12.1.8: non-members may only send what their sender type exists for: external senders
   * and new_member_proposal senders send proposals, new_member_commit senders send commits.
   */
  static void checkSenderMayFrame(AuthenticatedContent ac) throws FramingException {
    ContentType type = ac.content().contentType();
    boolean ok = switch (ac.sender().type()) {
      case MEMBER -> true;
      case EXTERNAL, NEW_MEMBER_PROPOSAL -> type == ContentType.PROPOSAL;
      case NEW_MEMBER_COMMIT -> type == ContentType.COMMIT;
    };
    if (!ok) {
      throw new FramingException(FramingException.Reason.SENDER_NOT_ALLOWED,
          ac.sender().type() + " cannot send " + type);
    }
  }
}
