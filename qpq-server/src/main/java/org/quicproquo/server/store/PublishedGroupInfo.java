package org.quicproquo.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The latest GroupInfo published for a group, for external joins and re-joins.
 *
 * @param group the group
 * @param epoch the epoch the GroupInfo describes
 * @param groupInfo the encoded GroupInfo, opaque to the store (copied in and out)
 * @param publishedAt when it was published (millisecond precision)
 */
public record PublishedGroupInfo(GroupId group, Epoch epoch, byte[] groupInfo,
    Instant publishedAt) {
  public PublishedGroupInfo {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(epoch, "epoch");
    groupInfo = groupInfo.clone();
    Objects.requireNonNull(publishedAt, "publishedAt");
  }

  /** A copy of the GroupInfo bytes. */
  @Override
  public byte[] groupInfo() {
    return groupInfo.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishedGroupInfo g && group.equals(g.group) && epoch.equals(g.epoch)
        && Arrays.equals(groupInfo, g.groupInfo) && publishedAt.equals(g.publishedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, epoch, Arrays.hashCode(groupInfo), publishedAt);
  }

  @Override
  public String toString() {
    return "PublishedGroupInfo[" + group + ", " + epoch + ", " + groupInfo.length + " bytes]";
  }
}
