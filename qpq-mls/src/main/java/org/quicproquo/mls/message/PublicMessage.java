package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.2:
 *
 * <pre>
 * struct {
 *     FramedContent content;
 *     FramedContentAuthData auth;
 *     select (PublicMessage.content.sender.sender_type) {
 *         case member:
 *             MAC membership_tag;
 *         case external:
 *         case new_member_commit:
 *         case new_member_proposal:
 *             struct{};
 *     };
 * } PublicMessage;
 * </pre>
 *
 * {@code membershipTag} is non-null exactly for member senders. A decoded PublicMessage is
 * unverified; see {@code org.quicproquo.mls.framing.PublicMessageProtection}.
 */
public record PublicMessage(FramedContent content, FramedContentAuthData auth, byte[] membershipTag)
    implements TlsEncodable {
  public PublicMessage {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
    auth.requireShapeFor(content.contentType());
    if ((content.sender().type() == SenderType.MEMBER) != (membershipTag != null)) {
      throw new IllegalArgumentException("membership_tag must be present exactly for members");
    }
    membershipTag = membershipTag == null ? null : membershipTag.clone();
  }

  /** The membership tag of a member's message; null for other senders. */
  @Override
  public byte[] membershipTag() {
    return membershipTag == null ? null : membershipTag.clone();
  }

  /** This message's content and auth data as AuthenticatedContent (wire format public). */
  public AuthenticatedContent authenticatedContent() {
    return new AuthenticatedContent(WireFormat.MLS_PUBLIC_MESSAGE, content, auth);
  }

  @Override
  public void encode(TlsWriter w) {
    content.encode(w);
    auth.encode(w);
    if (membershipTag != null) {
      w.opaque(membershipTag);
    }
  }

  /**
   * Reads one {@code PublicMessage} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static PublicMessage decode(TlsReader r) throws DecodeException {
    FramedContent content = FramedContent.decode(r);
    FramedContentAuthData auth = FramedContentAuthData.decode(r, content.contentType());
    byte[] tag = content.sender().type() == SenderType.MEMBER ? r.opaque() : null;
    return new PublicMessage(content, auth, tag);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicMessage p && p.content.equals(content) && p.auth.equals(auth)
        && Arrays.equals(p.membershipTag, membershipTag);
  }

  @Override
  public int hashCode() {
    return content.hashCode() * 31 + auth.hashCode();
  }
}
