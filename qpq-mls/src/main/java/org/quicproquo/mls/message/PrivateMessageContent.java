package org.quicproquo.mls.message;

import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.3.1:
 *
 * <pre>
 * struct {
 *     select (PrivateMessage.content_type) {
 *         case application:
 *           opaque application_data&lt;V&gt;;
 *         case proposal:
 *           Proposal proposal;
 *         case commit:
 *           Commit commit;
 *     };
 *
 *     FramedContentAuthData auth;
 *     opaque padding[length_of_padding];
 * } PrivateMessageContent;
 * </pre>
 *
 * The padding must be all zero bytes; decoding rejects anything else.
 */
public record PrivateMessageContent(Content content, FramedContentAuthData auth, int paddingLength)
    implements TlsEncodable {
  public PrivateMessageContent {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
    auth.requireShapeFor(content.contentType());
    if (paddingLength < 0) {
      throw new IllegalArgumentException("negative padding");
    }
  }

  @Override
  public void encode(TlsWriter w) {
    content.encode(w);
    auth.encode(w);
    w.raw(new byte[paddingLength]);
  }

  /** Decodes the whole plaintext of a PrivateMessage whose content_type is {@code type}. */
  public static PrivateMessageContent decode(byte[] plaintext, ContentType type)
      throws DecodeException {
    TlsReader r = new TlsReader(plaintext);
    Content content = Content.decode(type, r);
    FramedContentAuthData auth = FramedContentAuthData.decode(r, type);
    int padding = r.remaining();
    for (int i = 0; i < padding; i++) {
      if (r.u8() != 0) {
        throw new DecodeException("non-zero padding in PrivateMessageContent");
      }
    }
    r.finish();
    return new PrivateMessageContent(content, auth, padding);
  }
}
