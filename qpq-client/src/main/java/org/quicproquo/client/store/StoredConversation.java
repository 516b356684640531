package org.quicproquo.client.store;

/**
 * A conversation row: its MLS group id, whether it is a DM or a group, its display name (the
 * peer's user name for a DM), the sealed MLS group state, and whether this account left it.
 */
public record StoredConversation(byte[] groupId, boolean dm, String name, long createdAtMillis,
    byte[] sealedState, boolean left) {
  public StoredConversation {
    groupId = groupId.clone();
    sealedState = sealedState == null ? null : sealedState.clone();
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }

  @Override
  public byte[] sealedState() {
    return sealedState == null ? null : sealedState.clone();
  }
}
