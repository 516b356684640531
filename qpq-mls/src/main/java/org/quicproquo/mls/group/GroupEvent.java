package org.quicproquo.mls.group;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalRef;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.tree.LeafIndex;

/** What processing one accepted MLSMessage did to the group (see {@link Group#process}). */
public sealed interface GroupEvent {

  /** Application data from a member (RFC 9420 §6.3, content type application). */
  record ApplicationMessage(LeafIndex sender, byte[] data, byte[] authenticatedData)
      implements GroupEvent {
    public ApplicationMessage {
      Objects.requireNonNull(sender, "sender");
      data = data.clone();
      authenticatedData = authenticatedData.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public byte[] authenticatedData() {
      return authenticatedData.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ApplicationMessage a && a.sender.equals(sender)
          && Arrays.equals(a.data, data) && Arrays.equals(a.authenticatedData, authenticatedData);
    }

    @Override
    public int hashCode() {
      return sender.hashCode() * 31 + Arrays.hashCode(data);
    }
  }

  /**
   * A proposal was validated and cached for the current epoch (§12.1); a later Commit may cover
   * it by reference.
   */
  record ProposalReceived(Sender sender, Proposal proposal, ProposalRef reference)
      implements GroupEvent {
    public ProposalReceived {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(proposal, "proposal");
      Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * A Commit was applied: the group is now in {@code newEpoch}. {@code added}, {@code removed}
   * and {@code updated} describe the membership change; {@code selfRemoved} is true when this
   * member was removed (the group is then inactive and accepts no further messages).
   * {@code reInit} is present when the commit covered a ReInit (§12.1.5): members should stop
   * sending in this group and move to the new one it describes.
   */
  record CommitApplied(Sender committer, List<Member> added, List<Member> removed,
      List<Member> updated, long newEpoch, boolean selfRemoved, Optional<Proposal.ReInit> reInit)
      implements GroupEvent {
    public CommitApplied {
      Objects.requireNonNull(committer, "committer");
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      updated = List.copyOf(updated);
      Objects.requireNonNull(reInit, "reInit");
    }
  }
}
