package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §13.4:
 *
 * <pre>
 * struct {
 *     ExtensionType extension_type;
 *     opaque extension_data&lt;V&gt;;
 * } Extension;
 * </pre>
 *
 * Unknown extension types are kept as opaque data so they pass through unchanged.
 */
public record Extension(int extensionType, byte[] extensionData) implements TlsEncodable {
  public Extension {
    if (extensionType < 0 || extensionType > 0xffff) {
      throw new IllegalArgumentException("extension type out of range: " + extensionType);
    }
    extensionData = extensionData.clone();
  }

  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.u16(extensionType).opaque(extensionData);
  }

  public static Extension decode(TlsReader r) throws DecodeException {
    return new Extension(r.u16(), r.opaque());
  }

  /** Decodes {@code Extension extensions<V>}, rejecting duplicate types (RFC 9420 §13.4). */
  public static List<Extension> decodeList(TlsReader r) throws DecodeException {
    List<Extension> list = r.vector(Extension::decode);
    long distinct = list.stream().mapToInt(Extension::extensionType).distinct().count();
    if (distinct != list.size()) {
      throw new DecodeException("duplicate extension type in list");
    }
    return List.copyOf(list);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension e && e.extensionType == extensionType
        && Arrays.equals(e.extensionData, extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType + Arrays.hashCode(extensionData);
  }
}
