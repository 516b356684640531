package org.quicproquo.mls.message;

import java.util.Optional;
import org.quicproquo.mls.codec.DecodeException;

/**
 * RFC 9420 §12.1 / §17.4 proposal types defined by the RFC:
 *
 * <pre>
 * // See IANA registry for registered values
 * uint16 ProposalType;
 * </pre>
 *
 * Other non-reserved codes are legal on the wire (custom proposals, carried by
 * {@link Proposal.Custom}); {@link #fromCode} only maps the RFC's own.
 */
public enum ProposalType {
  ADD(0x0001, true, false),
  UPDATE(0x0002, false, true),
  REMOVE(0x0003, true, true),
  PSK(0x0004, true, false),
  REINIT(0x0005, true, false),
  EXTERNAL_INIT(0x0006, false, true),
  GROUP_CONTEXT_EXTENSIONS(0x0007, true, true);

  private final int code;
  private final boolean external;
  private final boolean path;

  ProposalType(int code, boolean external, boolean path) {
    this.code = code;
    this.external = external;
    this.path = path;
  }

  /** The uint16 wire code. */
  public int code() {
    return code;
  }

  /** The "External" column of the IANA registry: may an external sender propose it (§17.4). */
  public boolean allowedForExternalSenders() {
    return external;
  }

  /** The "Path Required" column of the IANA registry (§17.4). */
  public boolean pathRequired() {
    return path;
  }

  /** The RFC proposal type with {@code code}, or empty for a custom type. */
  public static Optional<ProposalType> lookup(int code) {
    for (ProposalType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The RFC proposal type with {@code code}; throws for any other code. */
  public static ProposalType fromCode(int code) throws DecodeException {
    return lookup(code).orElseThrow(() -> new DecodeException("unknown proposal type " + code));
  }

  /** Code 0 is reserved (§17.4); every other uint16 may name a proposal type. */
  public static boolean isReserved(int code) {
    return code == 0;
  }
}
