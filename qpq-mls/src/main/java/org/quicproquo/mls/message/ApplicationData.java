package org.quicproquo.mls.message;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/** RFC 9420 §6, the application case of FramedContent: {@code opaque application_data<V>;}. */
public record ApplicationData(byte[] data) implements Content {
  public ApplicationData {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public ContentType contentType() {
    return ContentType.APPLICATION;
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(data);
  }

  /**
   * Reads one {@code ApplicationData} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static ApplicationData decode(TlsReader r) throws DecodeException {
    return new ApplicationData(r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicationData a && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ApplicationData[" + data.length + " bytes]";
  }
}
