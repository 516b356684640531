package org.quicproquo.mls.tree;

import java.util.Arrays;
import java.util.HexFormat;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §5.2: {@code opaque HashReference<V>; HashReference KeyPackageRef;} — computed by
 * {@link KeyPackage#ref}.
 */
public record KeyPackageRef(byte[] value) {
  public KeyPackageRef {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Writes {@code opaque HashReference<V>}. */
  public void encode(TlsWriter w) {
    w.opaque(value);
  }

  /** Reads {@code opaque HashReference<V>}. */
  public static KeyPackageRef decode(TlsReader r) throws DecodeException {
    return new KeyPackageRef(r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPackageRef k && Arrays.equals(value, k.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KeyPackageRef[" + HexFormat.of().formatHex(value) + "]";
  }
}
