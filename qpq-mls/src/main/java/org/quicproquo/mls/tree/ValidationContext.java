package org.quicproquo.mls.tree;

import java.time.Instant;
import java.util.Objects;

/**
 * What leaf-node and tree validation needs to know about the group (RFC 9420 §7.3, §12.4.3.1).
 *
 * @param groupId the group's id, signed into update and commit leaves
 * @param required the group's required_capabilities ({@link RequiredCapabilities#NONE} if absent)
 * @param now the time to check key_package lifetimes against, or null to skip that check (a
 *     joiner checking leaves that were added long ago must not reject them for having expired)
 */
public record ValidationContext(byte[] groupId, RequiredCapabilities required, Instant now) {
  public ValidationContext {
    groupId = groupId.clone();
    Objects.requireNonNull(required, "required");
  }

  @Override
  public byte[] groupId() {
    return groupId.clone();
  }
}
