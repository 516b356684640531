package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.List;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.schedule.PreSharedKeyId;

/**
 * RFC 9420 §12.4.3.1:
 *
 * <pre>
 * struct {
 *   opaque joiner_secret&lt;V&gt;;
 *   optional&lt;PathSecret&gt; path_secret;
 *   PreSharedKeyID psks&lt;V&gt;;
 * } GroupSecrets;
 * </pre>
 *
 * {@code pathSecret} is null when absent.
 */
public record GroupSecrets(byte[] joinerSecret, PathSecret pathSecret, List<PreSharedKeyId> psks)
    implements TlsEncodable {
  public GroupSecrets {
    joinerSecret = joinerSecret.clone();
    psks = List.copyOf(psks);
  }

  @Override
  public byte[] joinerSecret() {
    return joinerSecret.clone();
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(joinerSecret).optional(pathSecret, (ww, p) -> p.encode(ww)).vector(psks);
  }

  /**
   * Reads one {@code GroupSecrets} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static GroupSecrets decode(TlsReader r) throws DecodeException {
    return new GroupSecrets(r.opaque(), r.optional(PathSecret::decode),
        r.vector(PreSharedKeyId::decode));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSecrets g && Arrays.equals(g.joinerSecret, joinerSecret)
        && java.util.Objects.equals(g.pathSecret, pathSecret) && g.psks.equals(psks);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(joinerSecret);
  }

  @Override
  public String toString() {
    return "GroupSecrets[<redacted>, psks=" + psks.size() + "]";
  }
}
