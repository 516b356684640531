package org.quicproquo.client;

/** The latest GroupInfo a server holds for a group, with the epoch it was published for. */
public record GroupInfoEntry(long epoch, byte[] groupInfo) {
  public GroupInfoEntry {
    groupInfo = groupInfo.clone();
  }

  @Override
  public byte[] groupInfo() {
    return groupInfo.clone();
  }
}
