package org.quicproquo.mls.message;

import java.util.Arrays;
import java.util.HexFormat;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.crypto.CipherSuite;

/**
 * RFC 9420 §5.2:
 *
 * <pre>
 * opaque HashReference&lt;V&gt;;
 * HashReference ProposalRef;
 *
 * MakeProposalRef(value)
 *     = RefHash("MLS 1.0 Proposal Reference", value)
 * </pre>
 *
 * where {@code value} is the encoded {@link AuthenticatedContent} carrying the proposal.
 */
public record ProposalRef(byte[] value) implements TlsEncodable {
  /** The RefHash label for proposal references (§5.2). */
  public static final String LABEL = "MLS 1.0 Proposal Reference";

  public ProposalRef {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The reference of the proposal carried by {@code content} (encoded AuthenticatedContent). */
  public static ProposalRef of(CipherSuite suite, AuthenticatedContent content) {
    return new ProposalRef(suite.refHash(LABEL, content.toBytes()));
  }

  @Override
  public void encode(TlsWriter w) {
    w.opaque(value);
  }

  /**
   * Reads one {@code ProposalRef} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  public static ProposalRef decode(TlsReader r) throws DecodeException {
    return new ProposalRef(r.opaque());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProposalRef p && Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "ProposalRef[" + HexFormat.of().formatHex(value) + "]";
  }
}
