package org.quicproquo.mls.vectors;

import java.util.HexFormat;

/** Hex helpers for vector fields. */
public final class Hex {
  private Hex() {}

  public static byte[] decode(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  public static String encode(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
