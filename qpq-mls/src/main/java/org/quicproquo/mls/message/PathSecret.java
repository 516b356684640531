package org.quicproquo.mls.message;

import java.util.Arrays;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §12.4.3.1:
 *
 * <pre>
 * struct {
 *   opaque path_secret&lt;V&gt;;
 * } PathSecret;
 * </pre>
 */
public record PathSecret(byte[] pathSecret) implements TlsEncodable {
  public PathSecret {
    pathSecret = pathSecret.clone();
  }

  @Override
  public byte[] pathSecret() {
    return pathSecret.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(pathSecret);
  }

  /**
   * Reads one {@code PathSecret} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static PathSecret decode(TlsReader r) throws DecodeException {
    return new PathSecret(r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathSecret p && Arrays.equals(p.pathSecret, pathSecret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pathSecret);
  }

  @Override
  public String toString() {
    return "PathSecret[<redacted>]";
  }
}
