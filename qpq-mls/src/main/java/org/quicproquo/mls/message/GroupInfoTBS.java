package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * RFC 9420 §12.4.3:
 *
 * <pre>
 * struct {
 *     GroupContext group_context;
 *     Extension extensions&lt;V&gt;;
 *     MAC confirmation_tag;
 *     uint32 signer;
 * } GroupInfoTBS;
 * </pre>
 */
public record GroupInfoTBS(GroupContext groupContext, List<Extension> extensions,
    byte[] confirmationTag, LeafIndex signer) implements TlsEncodable {
  public GroupInfoTBS {
    java.util.Objects.requireNonNull(groupContext, "groupContext");
    extensions = List.copyOf(extensions);
    confirmationTag = confirmationTag.clone();
    java.util.Objects.requireNonNull(signer, "signer");
  }

  @Override
  public byte[] confirmationTag() {
    return confirmationTag.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    groupContext.encode(w);
    w.vector(extensions).opaque(confirmationTag).u32(signer.value());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupInfoTBS g && g.groupContext.equals(groupContext)
        && g.extensions.equals(extensions) && Arrays.equals(g.confirmationTag, confirmationTag)
        && g.signer.equals(signer);
  }

  @Override
  public int hashCode() {
    return groupContext.hashCode() * 31 + Arrays.hashCode(confirmationTag);
  }
}
