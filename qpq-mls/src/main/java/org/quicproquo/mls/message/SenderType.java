package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §6:
 *
 * <pre>
 * enum {
 *     reserved(0),
 *     member(1),
 *     external(2),
 *     new_member_proposal(3),
 *     new_member_commit(4),
 *     (255)
 * } SenderType;
 * </pre>
 */
public enum SenderType {
  MEMBER(1),
  EXTERNAL(2),
  NEW_MEMBER_PROPOSAL(3),
  NEW_MEMBER_COMMIT(4);

  private final int code;

  SenderType(int code) {
    this.code = code;
  }

  /** The uint8 wire code. */
  public int code() {
    return code;
  }

  /** The sender type with {@code code}; reserved and unknown codes are rejected. */
  public static SenderType fromCode(int code) throws DecodeException {
    for (SenderType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new DecodeException("unknown sender type " + code);
  }
}
