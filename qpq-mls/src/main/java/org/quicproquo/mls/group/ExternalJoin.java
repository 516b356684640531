package org.quicproquo.mls.group;

import java.util.Objects;
import org.quicproquo.mls.message.MLSMessage;

/**
 * Result of {@link Group#joinExternal}: the joiner's group, already in the new epoch, and the
 * external commit to send to the group (RFC 9420 §12.4.3.2).
 */
public record ExternalJoin(Group group, MLSMessage commit) {
  public ExternalJoin {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(commit, "commit");
  }
}
