package org.quicproquo.mls.message;

import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.1:
 *
 * <pre>
 * struct {
 *     WireFormat wire_format;
 *     FramedContent content;
 *     FramedContentAuthData auth;
 * } AuthenticatedContent;
 * </pre>
 *
 * The unit that is signed, referenced ({@link ProposalRef}) and fed into the transcript hash; only
 * PublicMessage and PrivateMessage are valid wire formats.
 */
public record AuthenticatedContent(WireFormat wireFormat, FramedContent content,
    FramedContentAuthData auth) implements TlsEncodable {
  public AuthenticatedContent {
    Objects.requireNonNull(wireFormat, "wireFormat");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
    if (wireFormat != WireFormat.MLS_PUBLIC_MESSAGE && wireFormat != WireFormat.MLS_PRIVATE_MESSAGE) {
      throw new IllegalArgumentException("AuthenticatedContent cannot have wire format " + wireFormat);
    }
    auth.requireShapeFor(content.contentType());
  }

  /** The sender of the content. */
  public Sender sender() {
    return content.sender();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(wireFormat.code());
    content.encode(w);
    auth.encode(w);
  }

  /**
   * Reads one {@code AuthenticatedContent} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static AuthenticatedContent decode(TlsReader r) throws DecodeException {
    WireFormat wf = WireFormat.fromCode(r.u16());
    if (wf != WireFormat.MLS_PUBLIC_MESSAGE && wf != WireFormat.MLS_PRIVATE_MESSAGE) {
      throw new DecodeException("AuthenticatedContent with wire format " + wf);
    }
    FramedContent content = FramedContent.decode(r);
    return new AuthenticatedContent(wf, content,
        FramedContentAuthData.decode(r, content.contentType()));
  }
}
