package org.quicproquo.server.store;

import java.util.Optional;

/**
 * Per-group state the server keeps: the epoch sequencing of handshake messages and the latest
 * GroupInfo. Thread-safe.
 */
public interface GroupStore {
  /**
   * Decides atomically whether a Commit built on {@code epoch} may be relayed. The first Commit
   * for the group's current epoch wins and moves the group to {@code epoch + 1}; any other Commit
   * for an epoch that is not current is rejected with the current epoch, so the group never forks.
   * A group the server has not seen yet starts at the epoch of its first Commit. Retrying the
   * winning Commit (same {@code commitId}) while the group is still in the epoch it produced is
   * accepted again, so a client may retry after a lost response.
   *
   * <p>Authorisation (is the sender a member?) is the caller's job.
   *
   * @param group the group, from the Commit's cleartext header
   * @param epoch the epoch the Commit was built on, from the same header
   * @param commitId the message id under which the Commit is enqueued
   * @throws InvalidValueException if {@code epoch} has no successor
   */
  CommitDecision acceptCommit(GroupId group, Epoch epoch, MessageId commitId);

  /** The group's current epoch; empty if no Commit was ever accepted for it. */
  Optional<Epoch> currentEpoch(GroupId group);

  /**
   * Publishes a GroupInfo. It replaces the stored one unless that describes a later epoch.
   *
   * @return {@code false} if a GroupInfo of a later epoch is stored (nothing is changed)
   * @throws InvalidValueException if the GroupInfo is empty or too large
   */
  boolean publishGroupInfo(GroupId group, Epoch epoch, byte[] groupInfo);

  /** The latest GroupInfo published for the group; empty if none was. */
  Optional<PublishedGroupInfo> fetchGroupInfo(GroupId group);
}
