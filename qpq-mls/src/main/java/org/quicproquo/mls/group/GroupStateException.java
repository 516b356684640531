package org.quicproquo.mls.group;

import org.quicproquo.mls.MlsException;

/**
 * The group API was used in a way the current state does not allow: committing while a commit is
 * pending, merging without a pending commit, sending after this member was removed, or restoring a
 * saved state that is not a valid encoding. The state is unchanged.
 */
public final class GroupStateException extends MlsException {
  private static final long serialVersionUID = 1L;

  public GroupStateException(String message) {
    super(message);
  }

  public GroupStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
