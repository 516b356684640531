package org.quicproquo.mls.schedule;

import org.quicproquo.mls.codec.DecodeException;

/** RFC 9420 §8.4 {@code enum { reserved(0), external(1), resumption(2), (255) } PSKType;}. */
public enum PskType {
  EXTERNAL(1),
  RESUMPTION(2);

  private final int code;

  PskType(int code) {
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The type with wire code {@code code}; rejects reserved and unknown codes. */
  public static PskType fromCode(int code) throws DecodeException {
    for (PskType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new DecodeException("unknown PSKType " + code);
  }
}
