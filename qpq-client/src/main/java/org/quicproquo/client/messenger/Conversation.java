package org.quicproquo.client.messenger;

import java.util.HexFormat;
import java.util.List;

/**
 * A conversation as the application sees it: a DM or a named group, backed by one MLS group.
 *
 * @param groupId the MLS group id (16 random bytes)
 * @param dm      a two-person conversation
 * @param name    the group's name, or for a DM the other person's user name
 * @param members user names of the current members, this account included
 * @param epoch   the MLS epoch
 * @param left    this account left or was removed; nothing can be sent any more
 */
public record Conversation(byte[] groupId, boolean dm, String name, List<String> members,
    long epoch, boolean left) {
  public Conversation {
    groupId = groupId.clone();
    members = List.copyOf(members);
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }

  /** Short id for display and for {@code /switch}: the first 4 bytes of the group id in hex. */
  public String shortId() {
    return HexFormat.of().formatHex(groupId, 0, 4);
  }

  /** "@bob" for a DM, "#name" for a group. */
  public String label() {
    return (dm ? "@" : "#") + name;
  }
}
