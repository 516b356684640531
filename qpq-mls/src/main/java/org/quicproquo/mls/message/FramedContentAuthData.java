package org.quicproquo.mls.message;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §6.1:
 *
 * <pre>
 * struct {
 *     // SignWithLabel(., "FramedContentTBS", FramedContentTBS)
 *     opaque signature&lt;V&gt;;
 *     select (FramedContent.content_type) {
 *         case commit:
 *             // MAC(confirmation_key,
 *             //     GroupContext.confirmed_transcript_hash)
 *             MAC confirmation_tag;
 *         case application:
 *         case proposal:
 *             struct{};
 *     };
 * } FramedContentAuthData;
 * </pre>
 *
 * {@code confirmationTag} is non-null exactly when the content is a commit.
 */
public record FramedContentAuthData(byte[] signature, byte[] confirmationTag)
    implements TlsEncodable {
  public FramedContentAuthData {
    signature = signature.clone();
    confirmationTag = confirmationTag == null ? null : confirmationTag.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The confirmation tag of a commit; null for other content types. */
  @Override
  public byte[] confirmationTag() {
    return confirmationTag == null ? null : confirmationTag.clone();
  }

  /** Checks that the confirmation tag is present exactly for commits. */
  void requireShapeFor(ContentType type) {
    if ((type == ContentType.COMMIT) != (confirmationTag != null)) {
      throw new IllegalArgumentException(
          "confirmation_tag must be present exactly for commits (content type " + type + ")");
    }
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(signature);
    if (confirmationTag != null) {
      w.opaque(confirmationTag);
    }
  }

  /** Decodes the auth data of content of {@code type}. */
  public static FramedContentAuthData decode(TlsReader r, ContentType type)
      throws DecodeException {
    byte[] sig = r.opaque();
    byte[] tag = type == ContentType.COMMIT ? r.opaque() : null;
    return new FramedContentAuthData(sig, tag);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FramedContentAuthData a && Arrays.equals(a.signature, signature)
        && Arrays.equals(a.confirmationTag, confirmationTag);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature);
  }
}
