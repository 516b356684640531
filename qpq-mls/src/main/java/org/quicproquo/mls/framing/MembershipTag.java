package org.quicproquo.mls.framing;

import java.security.MessageDigest;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.message.AuthenticatedContent;
import org.quicproquo.mls.message.FramedContentTBS;
import org.quicproquo.mls.message.GroupContext;

/**
 * RFC 9420 §6.2 membership tag:
 *
 * <pre>
 * struct {
 *   FramedContentTBS content_tbs;
 *   FramedContentAuthData auth;
 * } AuthenticatedContentTBM;
 *
 * membership_tag = MAC(membership_key, AuthenticatedContentTBM)
 * </pre>
 */
public final class MembershipTag {
  private MembershipTag() {}

  /** The encoded AuthenticatedContentTBM of {@code ac}. */
  static byte[] tbm(AuthenticatedContent ac, GroupContext context) {
    return FramedContentTBS.of(ac.wireFormat(), ac.content(), context)
        .toBytesFollowedBy(ac.auth().toBytes());
  }

  /** MAC(membership_key, AuthenticatedContentTBM). */
  public static byte[] compute(CipherSuite suite, byte[] membershipKey, AuthenticatedContent ac,
      GroupContext context) {
    return suite.mac(membershipKey, tbm(ac, context));
  }

  /** Constant-time check of {@code tag}. */
  public static boolean verify(CipherSuite suite, byte[] membershipKey, AuthenticatedContent ac,
      GroupContext context, byte[] tag) {
    return MessageDigest.isEqual(compute(suite, membershipKey, ac, context), tag);
  }
}
