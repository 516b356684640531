package org.quicproquo.mls.message;

import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.KeyPackage;

/**
 * RFC 9420 §6:
 *
 * <pre>
 * struct {
 *     ProtocolVersion version = mls10;
 *
 *     // This field is always present
 *     WireFormat wire_format;
 *     select (MLSMessage.wire_format) {
 *         case mls_public_message:
 *             PublicMessage public_message;
 *         case mls_private_message:
 *             PrivateMessage private_message;
 *         case mls_welcome:
 *             Welcome welcome;
 *         case mls_group_info:
 *             GroupInfo group_info;
 *         case mls_key_package:
 *             KeyPackage key_package;
 *     };
 * } MLSMessage;
 * </pre>
 *
 * Versions other than mls10 and unknown wire formats are rejected.
 */
public record MLSMessage(WireFormat wireFormat, TlsEncodable body) implements TlsEncodable {
  public MLSMessage {
    Objects.requireNonNull(wireFormat, "wireFormat");
    Objects.requireNonNull(body, "body");
    boolean ok = switch (wireFormat) {
      case MLS_PUBLIC_MESSAGE -> body instanceof PublicMessage;
      case MLS_PRIVATE_MESSAGE -> body instanceof PrivateMessage;
      case MLS_WELCOME -> body instanceof Welcome;
      case MLS_GROUP_INFO -> body instanceof GroupInfo;
      case MLS_KEY_PACKAGE -> body instanceof KeyPackage;
    };
    if (!ok) {
      throw new IllegalArgumentException(body.getClass().getSimpleName() + " is not a " + wireFormat);
    }
  }

  public static MLSMessage of(PublicMessage m) {
    return new MLSMessage(WireFormat.MLS_PUBLIC_MESSAGE, m);
  }

  public static MLSMessage of(PrivateMessage m) {
    return new MLSMessage(WireFormat.MLS_PRIVATE_MESSAGE, m);
  }

  public static MLSMessage of(Welcome m) {
    return new MLSMessage(WireFormat.MLS_WELCOME, m);
  }

  public static MLSMessage of(GroupInfo m) {
    return new MLSMessage(WireFormat.MLS_GROUP_INFO, m);
  }

  public static MLSMessage of(KeyPackage m) {
    return new MLSMessage(WireFormat.MLS_KEY_PACKAGE, m);
  }

  /** The body as {@code type}; throws {@link DecodeException} if the message carries another. */
  public <T> T as(Class<T> type) throws DecodeException {
    if (!type.isInstance(body)) {
      throw new DecodeException("expected " + type.getSimpleName() + " but message is " + wireFormat);
    }
    return type.cast(body);
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(GroupContext.MLS10).u16(wireFormat.code());
    body.encode(w);
  }

  /**
   * Reads one {@code MLSMessage} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static MLSMessage decode(TlsReader r) throws DecodeException {
    Codecs.version(r);
    WireFormat wf = WireFormat.fromCode(r.u16());
    TlsEncodable body = switch (wf) {
      case MLS_PUBLIC_MESSAGE -> PublicMessage.decode(r);
      case MLS_PRIVATE_MESSAGE -> PrivateMessage.decode(r);
      case MLS_WELCOME -> Welcome.decode(r);
      case MLS_GROUP_INFO -> GroupInfo.decode(r);
      case MLS_KEY_PACKAGE -> KeyPackage.decode(r);
    };
    return new MLSMessage(wf, body);
  }

  /** Decodes a complete MLSMessage, rejecting trailing bytes. */
  public static MLSMessage fromBytes(byte[] bytes) throws DecodeException {
    return TlsReader.decodeAll(bytes, MLSMessage::decode);
  }
}
