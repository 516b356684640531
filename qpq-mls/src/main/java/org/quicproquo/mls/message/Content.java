package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;

/**
 * The content-type-selected body of RFC 9420 §6 FramedContent and §6.3.1 PrivateMessageContent:
 *
 * <pre>
 * select (FramedContent.content_type) {
 *     case application:
 *       opaque application_data&lt;V&gt;;
 *     case proposal:
 *       Proposal proposal;
 *     case commit:
 *       Commit commit;
 * };
 * </pre>
 *
 * The encoding is the selected struct alone; the content_type tag lives in the enclosing struct.
 */
public sealed interface Content extends TlsEncodable permits ApplicationData, Proposal, Commit {
  /** The content_type this body is selected by. */
  ContentType contentType();

  /** Decodes the body selected by {@code type}. */
  static Content decode(ContentType type, TlsReader r) throws DecodeException {
    return switch (type) {
      case APPLICATION -> ApplicationData.decode(r);
      case PROPOSAL -> Proposal.decode(r);
      case COMMIT -> Commit.decode(r);
    };
  }
}
