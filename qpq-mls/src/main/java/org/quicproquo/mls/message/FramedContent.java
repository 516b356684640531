package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6:
 *
 * <pre>
 * struct {
 *     opaque group_id&lt;V&gt;;
 *     uint64 epoch;
 *     Sender sender;
 *     opaque authenticated_data&lt;V&gt;;
 *
 *     ContentType content_type;
 *     select (FramedContent.content_type) {
 *         case application:
 *           opaque application_data&lt;V&gt;;
 *         case proposal:
 *           Proposal proposal;
 *         case commit:
 *           Commit commit;
 *     };
 * } FramedContent;
 * </pre>
 */
public record FramedContent(byte[] groupId, long epoch, Sender sender, byte[] authenticatedData,
    Content content) implements TlsEncodable {
  public FramedContent {
    groupId = groupId.clone();
    Objects.requireNonNull(sender, "sender");
    authenticatedData = authenticatedData.clone();
    Objects.requireNonNull(content, "content");
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }

  @Override
  public byte[] authenticatedData() {
    return authenticatedData.clone();
  }

  /** The content_type tag. */
  public ContentType contentType() {
    return content.contentType();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(groupId).u64(epoch);
    sender.encode(w);
    w.opaque(authenticatedData).u8(content.contentType().code());
    content.encode(w);
  }

  /**
   * Reads one {@code FramedContent} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static FramedContent decode(TlsReader r) throws DecodeException {
    byte[] groupId = r.opaque();
    long epoch = r.u64();
    Sender sender = Sender.decode(r);
    byte[] aad = r.opaque();
    ContentType type = ContentType.fromCode(r.u8());
    return new FramedContent(groupId, epoch, sender, aad, Content.decode(type, r));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FramedContent f && Arrays.equals(f.groupId, groupId) && f.epoch == epoch
        && f.sender.equals(sender) && Arrays.equals(f.authenticatedData, authenticatedData)
        && f.content.equals(content);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(groupId) * 31 + Long.hashCode(epoch);
  }
}
