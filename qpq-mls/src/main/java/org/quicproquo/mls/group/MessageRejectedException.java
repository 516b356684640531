package org.quicproquo.mls.group;

import org.quicproquo.mls.MlsException;

/**
 * A received message (or Welcome / GroupInfo) failed validation. The group state that was asked to
 * process it is unchanged; {@link #reason()} names the rule that failed. Also thrown when a
 * proposal this member is asked to propose or commit breaks a rule receivers would enforce (for
 * example {@link RejectReason#INVALID_LIFETIME}); the group is then unchanged as well.
 */
public final class MessageRejectedException extends MlsException {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  public MessageRejectedException(RejectReason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public MessageRejectedException(RejectReason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** The validation rule that failed. */
  public RejectReason reason() {
    return reason;
  }
}
