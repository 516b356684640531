package org.quicproquo.mls.message;

import java.util.Objects;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.1:
 *
 * <pre>
 * struct {
 *     ProtocolVersion version = mls10;
 *     WireFormat wire_format;
 *     FramedContent content;
 *     select (FramedContentTBS.content.sender.sender_type) {
 *         case member:
 *         case new_member_commit:
 *             GroupContext context;
 *         case external:
 *         case new_member_proposal:
 *             struct{};
 *     };
 * } FramedContentTBS;
 * </pre>
 *
 * Only ever encoded (it is signed, never sent). {@code context} is non-null exactly for member and
 * new_member_commit senders.
 */
public record FramedContentTBS(WireFormat wireFormat, FramedContent content, GroupContext context)
    implements TlsEncodable {
  public FramedContentTBS {
    Objects.requireNonNull(wireFormat, "wireFormat");
    Objects.requireNonNull(content, "content");
    if (needsContext(content.sender()) != (context != null)) {
      throw new IllegalArgumentException("GroupContext must be given exactly for member and "
          + "new_member_commit senders");
    }
  }

  /** Whether the TBS of content from {@code sender} includes the GroupContext. */
  public static boolean needsContext(Sender sender) {
    return sender.type() == SenderType.MEMBER || sender.type() == SenderType.NEW_MEMBER_COMMIT;
  }

  /** The TBS for {@code content}, taking {@code context} only when the sender type needs it. */
  public static FramedContentTBS of(WireFormat wireFormat, FramedContent content,
      GroupContext context) {
    return new FramedContentTBS(wireFormat, content,
        needsContext(content.sender()) ? Objects.requireNonNull(context, "context") : null);
  }

  @Override
  public byte[] toBytes() {
    return toBytesFollowedBy(new byte[0]);
  }

  /**
   * This struct's encoding followed by {@code suffix} (e.g. the auth data of an
   * AuthenticatedContentTBM), in one buffer of the exact size: a commit's content can be
   * megabytes, and growing a buffer by doubling, or concatenating, would copy it again.
   */
  public byte[] toBytesFollowedBy(byte[] suffix) {
    byte[] ctx = context == null ? new byte[0] : context.toBytes();
    TlsWriter w = new TlsWriter(4 + content.encodedLength() + ctx.length + suffix.length);
    w.u16(GroupContext.MLS10).u16(wireFormat.code());
    content.encode(w);
    w.raw(ctx);
    w.raw(suffix);
    return w.finish();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(GroupContext.MLS10).u16(wireFormat.code());
    content.encode(w);
    if (context != null) {
      context.encode(w);
    }
  }
}
