package org.quicproquo.mls.message;

import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.UpdatePath;

/**
 * RFC 9420 §12.4:
 *
 * <pre>
 * struct {
 *     ProposalOrRef proposals&lt;V&gt;;
 *     optional&lt;UpdatePath&gt; path;
 * } Commit;
 * </pre>
 *
 * {@code path} is null when absent.
 */
public record Commit(List<ProposalOrRef> proposals, UpdatePath path) implements Content {
  public Commit {
    proposals = List.copyOf(proposals);
  }

  /** The path, if the commit carries one. */
  public Optional<UpdatePath> optionalPath() {
    return Optional.ofNullable(path);
  }

  @Override
  public ContentType contentType() {
    return ContentType.COMMIT;
  }

  @Override
  public void encode(TlsWriter w) {
    w.vector(proposals).optional(path, (ww, p) -> p.encode(ww));
  }

  /**
   * Reads one {@code Commit} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static Commit decode(TlsReader r) throws DecodeException {
    return new Commit(r.vector(ProposalOrRef::decode), r.optional(UpdatePath::decode));
  }
}
