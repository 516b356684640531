package org.quicproquo.core.message;

/**
 * The type byte in front of every application message. Codes are stable wire values; 0x0A-0x0D
 * are reserved for call signalling and decode as {@link AppMessage.Unsupported} for now.
 */
public enum AppMessageType {
  /** {@link AppMessage.Text}. */
  TEXT(0x01),
  /** {@link AppMessage.Reply}. */
  REPLY(0x02),
  /** {@link AppMessage.Reaction}. */
  REACTION(0x03),
  /** {@link AppMessage.Edit}. */
  EDIT(0x04),
  /** {@link AppMessage.Delete}. */
  DELETE(0x05),
  /** {@link AppMessage.ReadReceipt}. */
  READ_RECEIPT(0x06),
  /** {@link AppMessage.Typing}. */
  TYPING(0x07),
  /** {@link AppMessage.FileRef}. */
  FILE_REF(0x08),
  /** {@link AppMessage.DisappearingTimer}. */
  DISAPPEARING_TIMER(0x09);

  /** First code reserved for call signalling. */
  public static final int FIRST_CALL_CODE = 0x0A;
  /** Last code reserved for call signalling. */
  public static final int LAST_CALL_CODE = 0x0D;

  private final int code;

  AppMessageType(int code) {
    this.code = code;
  }

  /** The wire code (0..255). */
  public int code() {
    return code;
  }

  /** Whether {@code code} is one of the types above. */
  public static boolean isKnown(int code) {
    return code >= 0x01 && code <= 0x09;
  }

  /**
   * The type for a wire code.
   *
   * @throws AppMessageException if the code is not one of the types above
   */
  public static AppMessageType fromCode(int code) throws AppMessageException {
    for (AppMessageType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new AppMessageException("unknown application message type 0x" + Integer.toHexString(code));
  }
}
