package org.quicproquo.server.store;

import java.util.Objects;

/** What {@link GroupStore#acceptCommit} decided about a Commit. */
public sealed interface CommitDecision {
  /**
   * The Commit won its epoch (or is a retry of the Commit that won it).
   *
   * @param newEpoch the epoch the group is in after this Commit
   */
  record Accepted(Epoch newEpoch) implements CommitDecision {
    public Accepted {
      Objects.requireNonNull(newEpoch, "newEpoch");
    }
  }

  /**
   * Another Commit already won this epoch, or the epoch is not the group's current one.
   *
   * @param currentEpoch the group's current epoch: the epoch a new Commit must be built on
   */
  record Rejected(Epoch currentEpoch) implements CommitDecision {
    public Rejected {
      Objects.requireNonNull(currentEpoch, "currentEpoch");
    }
  }
}
