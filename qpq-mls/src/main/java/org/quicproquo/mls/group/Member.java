package org.quicproquo.mls.group;

import java.util.Arrays;
import java.util.Objects;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * One member of the group as seen in the current epoch: the leaf it occupies and the identity its
 * LeafNode carries (RFC 9420 §7.2). The application decides whether a credential is acceptable.
 */
public record Member(LeafIndex leafIndex, Credential credential, byte[] signatureKey) {
  public Member {
    Objects.requireNonNull(leafIndex, "leafIndex");
    Objects.requireNonNull(credential, "credential");
    signatureKey = signatureKey.clone();
  }

  @Override
  public byte[] signatureKey() {
    return signatureKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Member m && m.leafIndex.equals(leafIndex)
        && m.credential.equals(credential) && Arrays.equals(m.signatureKey, signatureKey);
  }

  @Override
  public int hashCode() {
    return leafIndex.hashCode() * 31 + Arrays.hashCode(signatureKey);
  }
}
