package org.quicproquo.mls.message;

import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;

/**
 * RFC 9420 §12.4:
 *
 * <pre>
 * enum {
 *   reserved(0),
 *   proposal(1),
 *   reference(2),
 *   (255)
 * } ProposalOrRefType;
 *
 * struct {
 *   ProposalOrRefType type;
 *   select (ProposalOrRef.type) {
 *     case proposal:  Proposal proposal;
 *     case reference: ProposalRef reference;
 *   };
 * } ProposalOrRef;
 * </pre>
 */
public sealed interface ProposalOrRef extends TlsEncodable {
  /** ProposalOrRefType.proposal. */
  int PROPOSAL = 1;
  /** ProposalOrRefType.reference. */
  int REFERENCE = 2;

  /** A proposal carried by value inside the Commit. */
  record ByValue(Proposal proposal) implements ProposalOrRef {
    public ByValue {
      java.util.Objects.requireNonNull(proposal, "proposal");
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(PROPOSAL);
      proposal.encode(w);
    }
  }

  /** A proposal sent earlier in the epoch, named by its reference. */
  record ByReference(ProposalRef reference) implements ProposalOrRef {
    public ByReference {
      java.util.Objects.requireNonNull(reference, "reference");
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(REFERENCE);
      reference.encode(w);
    }
  }

  /**
   * Reads one {@code ProposalOrRef} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  static ProposalOrRef decode(TlsReader r) throws DecodeException {
    int type = r.u8();
    return switch (type) {
      case PROPOSAL -> new ByValue(Proposal.decode(r));
      case REFERENCE -> new ByReference(ProposalRef.decode(r));
      default -> throw new DecodeException("unknown ProposalOrRefType " + type);
    };
  }
}
