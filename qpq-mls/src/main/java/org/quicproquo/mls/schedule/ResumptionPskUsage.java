package org.quicproquo.mls.schedule;

import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §8.4
 * {@code enum { reserved(0), application(1), reinit(2), branch(3), (255) } ResumptionPSKUsage;}.
 */
public enum ResumptionPskUsage {
  APPLICATION(1),
  REINIT(2),
  BRANCH(3);

  private final int code;

  ResumptionPskUsage(int code) {
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The usage with wire code {@code code}; rejects reserved and unknown codes. */
  public static ResumptionPskUsage fromCode(int code) throws DecodeException {
    for (ResumptionPskUsage u : values()) {
      if (u.code == code) {
        return u;
      }
    }
    throw new DecodeException("unknown ResumptionPSKUsage " + code);
  }
}
