package org.quicproquo.mls.group;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.message.GroupInfo;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.Welcome;

/**
 * What {@link Group#commit} produced. Send {@code commit} to the group and {@code welcome} (if
 * any) to the added members; the committer's own group stays in the old epoch until it calls
 * {@link Group#mergePendingCommit()} (for instance once the delivery service accepted the commit)
 * or {@link Group#discardPendingCommit()}.
 *
 * @param groupInfo signed GroupInfo of the new epoch (for external joiners, §12.4.3.2)
 * @param newEpoch the epoch the group enters when the commit is merged
 */
public record CommitResult(MLSMessage commit, Optional<Welcome> welcome, GroupInfo groupInfo,
    List<Member> added, List<Member> removed, long newEpoch) {
  public CommitResult {
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(welcome, "welcome");
    Objects.requireNonNull(groupInfo, "groupInfo");
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }
}
