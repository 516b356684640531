package org.quicproquo.client.kt;

import java.util.Objects;

/**
 * Evidence that the server misbehaved (or that a key changed unexpectedly), found by checking the
 * key-transparency log. Shown loudly: {@link #describe()} is the line a UI prints.
 *
 * @param kind what was found
 * @param user the user concerned, or null for the log as a whole
 * @param detail one sentence of technical detail
 */
public record KtAlert(Kind kind, String user, String detail) {
  /** What a check found. */
  public enum Kind {
    /** The server's log key differs from the one pinned on first use. */
    LOG_KEY_CHANGED,
    /** A tree head's signature does not verify under the pinned log key. */
    BAD_TREE_HEAD,
    /** A tree head does not extend the newest one this client accepted: the log was forked or rewritten. */
    FORKED_LOG,
    /** A tree head is smaller than one this client accepted already. */
    ROLLBACK,
    /** An entry is not in the log at the place the server claims. */
    INCLUSION_FAILED,
    /** The server resolves a user to an identity key that is not the log's latest for the name. */
    KEY_NOT_IN_LOG,
    /** The server resolves devices for a user that are not the log's active devices of the user. */
    DEVICE_NOT_IN_LOG,
    /** A user's entries break the history rules (qpq-kt KeyHistory KH-1..KH-7). */
    BAD_HISTORY,
    /** The log shows a key that differs from the one pinned (a TOFU violation) or from one's own. */
    UNEXPECTED_KEY_CHANGE,
    /** The log shows a device added to one's own account since the monitor's previous round. */
    NEW_OWN_DEVICE,
    /** The server sent log data that does not decode. */
    MALFORMED
  }

  /** Requires a kind and a detail. */
  public KtAlert {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** The alert as one loud line. */
  public String describe() {
    return "KEY TRANSPARENCY ALERT [" + kind + "]" + (user == null ? "" : " for " + user) + ": "
        + detail;
  }
}
