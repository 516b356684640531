package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §6 / §17.2:
 *
 * <pre>
 * enum {
 *     reserved(0),
 *     mls_public_message(1),
 *     mls_private_message(2),
 *     mls_welcome(3),
 *     mls_group_info(4),
 *     mls_key_package(5),
 *     (65535)
 * } WireFormat;
 * </pre>
 */
public enum WireFormat {
  MLS_PUBLIC_MESSAGE(1),
  MLS_PRIVATE_MESSAGE(2),
  MLS_WELCOME(3),
  MLS_GROUP_INFO(4),
  MLS_KEY_PACKAGE(5);

  private final int code;

  WireFormat(int code) {
    this.code = code;
  }

  /** The uint16 wire code. */
  public int code() {
    return code;
  }

  /** The wire format with {@code code}; reserved and unknown codes are rejected. */
  public static WireFormat fromCode(int code) throws DecodeException {
    for (WireFormat f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    throw new DecodeException("unknown wire format " + code);
  }
}
