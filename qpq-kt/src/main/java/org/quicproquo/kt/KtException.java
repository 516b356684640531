package org.quicproquo.kt;

import java.util.Objects;

/**
 * A key-transparency check failed or untrusted bytes were malformed. The {@link Reason} says which
 * check, so a client can tell a forked or rolled-back log (evidence against the server) from a
 * garbled message.
 */
public final class KtException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a check failed. */
  public enum Reason {
    /** Bytes do not decode under the strict encoding (wrong length, unknown code, trailing bytes). */
    MALFORMED,
    /** A signed tree head's signature does not verify under the log key. */
    BAD_SIGNATURE,
    /** An inclusion proof does not lead from the entry to the tree head's root. */
    INCLUSION_FAILED,
    /** Two tree heads are not an append-only extension of one another (a fork). */
    INCONSISTENT,
    /** A tree head is smaller than one already seen. */
    ROLLBACK,
    /** A user's entries do not form a valid history (see {@link KeyHistory}). */
    BAD_HISTORY
  }

  private final Reason reason;

  /** A failure of the given kind with a message for logs (never shown as proof of anything). */
  public KtException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Which check failed. */
  public Reason reason() {
    return reason;
  }
}
