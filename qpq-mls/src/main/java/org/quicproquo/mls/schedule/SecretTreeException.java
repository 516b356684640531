package org.quicproquo.mls.schedule;

import org.quicproquo.mls.MlsException;

/** A secret-tree key cannot be given out; {@link #reason()} says why. State is unchanged. */
public final class SecretTreeException extends MlsException {
  private static final long serialVersionUID = 1L;

  /** Why no key was given out. */
  public enum Reason {
    /** The leaf index is not below the tree's leaf count. */
    LEAF_OUT_OF_RANGE,
    /** The generation is older than the out-of-order window of its ratchet keeps keys for. */
    GENERATION_TOO_OLD,
    /** The generation lies further ahead than the window allows ratcheting to. */
    GENERATION_TOO_FAR,
    /** The key of this generation was already used and deleted. */
    GENERATION_ALREADY_USED,
    /** The ratchet has used all 2^32 generations. */
    GENERATION_EXHAUSTED,
    /**
     * The key was skipped over but is no longer retained: the tree's bound on retained
     * out-of-order keys evicted it (or it was used after being skipped).
     */
    KEY_EVICTED
  }

  private final Reason reason;

  public SecretTreeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
