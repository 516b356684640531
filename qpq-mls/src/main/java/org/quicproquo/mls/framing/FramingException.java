package org.quicproquo.mls.framing;

import org.quicproquo.mls.MlsException;

/**
 * A message failed a §6 framing check. {@link #reason()} says which; the message must be dropped
 * and group state left unchanged.
 */
public final class FramingException extends MlsException {
  private static final long serialVersionUID = 1L;

  /** Which framing check failed. */
  public enum Reason {
    /** SignWithLabel("FramedContentTBS") did not verify. */
    BAD_SIGNATURE,
    /** The membership tag of a member's PublicMessage did not verify. */
    BAD_MEMBERSHIP_TAG,
    /** A commit's confirmation tag did not verify. */
    BAD_CONFIRMATION_TAG,
    /** The sender type is not allowed for this wire format or content type. */
    SENDER_NOT_ALLOWED,
    /** Application data sent as a PublicMessage (§6.2 forbids it). */
    APPLICATION_IN_PUBLIC_MESSAGE,
    /** AEAD decryption of sender data or content failed. */
    DECRYPTION_FAILED,
    /** The decrypted plaintext is not a valid SenderData or PrivateMessageContent. */
    MALFORMED_PLAINTEXT,
    /** No key is available for the sender's leaf and generation. */
    NO_KEY,
    /** The message belongs to another group or epoch than the one it was checked against. */
    WRONG_GROUP_OR_EPOCH,
    /** A Welcome has no EncryptedGroupSecrets for the given KeyPackageRef. */
    NOT_ADDRESSED_TO_US,
    /** A Welcome or GroupInfo uses another cipher suite than the one expected. */
    CIPHER_SUITE_MISMATCH,
    /** A GroupInfo signature did not verify. */
    BAD_GROUP_INFO_SIGNATURE
  }

  private final Reason reason;

  public FramingException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public FramingException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** The failed check. */
  public Reason reason() {
    return reason;
  }
}
