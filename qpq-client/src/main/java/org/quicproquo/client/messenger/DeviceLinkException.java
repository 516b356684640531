package org.quicproquo.client.messenger;

/**
 * Linking a device failed; {@link #reason()} says why, the message says it to a person. Nothing
 * was changed on either device when this is thrown.
 */
public final class DeviceLinkException extends MessengerException {
  private static final long serialVersionUID = 1L;

  /** Why a link failed. */
  public enum Reason {
    /** The code is not 12 Crockford base-32 characters. */
    MALFORMED_CODE,
    /** No link with that code (mistyped, or never made). */
    WRONG_CODE,
    /** The code expired. */
    EXPIRED_CODE,
    /** Another device used the code first. */
    USED_CODE,
    /** The code is for another account than the one named. */
    WRONG_USER,
    /** What came back does not open under the code key, or does not verify: tampered with. */
    TAMPERED,
    /** The account already has its maximum of devices. */
    TOO_MANY_DEVICES,
    /** The other device received the request but refused to link (see its screen). */
    REFUSED,
    /** The other device did not answer before the code expired. */
    TIMED_OUT
  }

  private final Reason reason;

  DeviceLinkException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  DeviceLinkException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
