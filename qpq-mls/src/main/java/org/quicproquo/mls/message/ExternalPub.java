package org.quicproquo.mls.message;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §12.4.3.2, payload of the {@code external_pub} GroupInfo extension:
 *
 * <pre>
 * struct {
 *     HPKEPublicKey external_pub;
 * } ExternalPub;
 * </pre>
 */
public record ExternalPub(byte[] externalPub) implements TlsEncodable {
  public ExternalPub {
    externalPub = externalPub.clone();
  }

  @Override
  public byte[] externalPub() {
    return externalPub.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(externalPub);
  }

  /**
   * Reads one {@code ExternalPub} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static ExternalPub decode(TlsReader r) throws DecodeException {
    return new ExternalPub(r.opaque());
  }

  /** Parses the data of an {@code external_pub} extension (all of it). */
  public static ExternalPub fromExtension(Extension e) throws DecodeException {
    requireType(e, ExtensionType.EXTERNAL_PUB);
    return TlsReader.decodeAll(e.extensionData(), ExternalPub::decode);
  }

  /** This payload wrapped as an {@code external_pub} extension. */
  public Extension toExtension() {
    return new Extension(ExtensionType.EXTERNAL_PUB, toBytes());
  }

  static void requireType(Extension e, int type) throws DecodeException {
    if (e.extensionType() != type) {
      throw new DecodeException("expected extension type " + type + ", got " + e.extensionType());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalPub p && Arrays.equals(p.externalPub, externalPub);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(externalPub);
  }
}
