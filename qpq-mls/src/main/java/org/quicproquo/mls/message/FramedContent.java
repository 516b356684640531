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
 *
 * <p>An immutable value (a final class rather than a record only so it can keep its encoding): a
 * received commit's content is encoded for the signature check, the membership tag and the
 * transcript hash, so the encoding is computed once, on first use, and reused. It is always this
 * object's own canonical encoding (never the received bytes), so it is correct for locally built
 * content too.
 */
public final class FramedContent implements TlsEncodable {
  private final byte[] groupId;
  private final long epoch;
  private final Sender sender;
  private final byte[] authenticatedData;
  private final Content content;
  /** The encoding, computed lazily; a benign race at worst computes identical bytes twice. */
  private volatile byte[] encoding;
  /** Expected encoding length (the received length when decoded, else 0), to size the buffer. */
  private final int sizeHint;

  /** A FramedContent; the arrays are copied. */
  public FramedContent(byte[] groupId, long epoch, Sender sender, byte[] authenticatedData,
      Content content) {
    this(groupId, epoch, sender, authenticatedData, content, 0);
  }

  private FramedContent(byte[] groupId, long epoch, Sender sender, byte[] authenticatedData,
      Content content, int sizeHint) {
    this.sizeHint = sizeHint;
    this.groupId = groupId.clone();
    this.epoch = epoch;
    this.sender = Objects.requireNonNull(sender, "sender");
    this.authenticatedData = authenticatedData.clone();
    this.content = Objects.requireNonNull(content, "content");
  }

  /** The epoch. */
  public long epoch() {
    return epoch;
  }

  /** The sender. */
  public Sender sender() {
    return sender;
  }

  /** The content (application data, proposal or commit). */
  public Content content() {
    return content;
  }

  /** A copy of group_id. */
  public byte[] groupId() {
    return groupId.clone();
  }

  /** A copy of authenticated_data. */
  public byte[] authenticatedData() {
    return authenticatedData.clone();
  }

  /** The content_type tag. */
  public ContentType contentType() {
    return content.contentType();
  }

  @Override
  public void encode(TlsWriter w) {
    w.raw(encoding());
  }

  @Override
  public byte[] toBytes() {
    return encoding().clone();
  }

  /** The length of this content's encoding, so that enclosing structs can size their buffer. */
  public int encodedLength() {
    return encoding().length;
  }

  private byte[] encoding() {
    byte[] e = encoding;
    if (e == null) {
      // A received commit re-encodes to its received length (encodings are canonical), so the
      // buffer is then exact and handed over without a copy.
      TlsWriter w = new TlsWriter(sizeHint > 0 ? sizeHint : 64);
      w.opaque(groupId).u64(epoch);
      sender.encode(w);
      w.opaque(authenticatedData).u8(content.contentType().code());
      content.encode(w);
      e = w.finish();
      encoding = e;
    }
    return e;
  }

  /**
   * Reads one {@code FramedContent} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static FramedContent decode(TlsReader r) throws DecodeException {
    int start = r.position();
    byte[] groupId = r.opaque();
    long epoch = r.u64();
    Sender sender = Sender.decode(r);
    byte[] aad = r.opaque();
    ContentType type = ContentType.fromCode(r.u8());
    Content content = Content.decode(type, r);
    return new FramedContent(groupId, epoch, sender, aad, content, r.position() - start);
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

  @Override
  public String toString() {
    return "FramedContent[epoch=" + epoch + ", sender=" + sender + ", contentType="
        + content.contentType() + "]";
  }
}
