package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §6:
 *
 * <pre>
 * enum {
 *     reserved(0),
 *     application(1),
 *     proposal(2),
 *     commit(3),
 *     (255)
 * } ContentType;
 * </pre>
 */
public enum ContentType {
  APPLICATION(1),
  PROPOSAL(2),
  COMMIT(3);

  private final int code;

  ContentType(int code) {
    this.code = code;
  }

  /** The uint8 wire code. */
  public int code() {
    return code;
  }

  /** The content type with {@code code}; reserved and unknown codes are rejected. */
  public static ContentType fromCode(int code) throws DecodeException {
    for (ContentType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new DecodeException("unknown content type " + code);
  }
}
