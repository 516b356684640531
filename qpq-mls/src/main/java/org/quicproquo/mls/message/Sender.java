package org.quicproquo.mls.message;

import java.util.Objects;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.codec.TlsEncodable;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.codec.TlsWriter;
import org.quicproquo.mls.tree.LeafIndex;

/**
 * RFC 9420 §6:
 *
 * <pre>
 * struct {
 *     SenderType sender_type;
 *     select (Sender.sender_type) {
 *         case member:
 *             uint32 leaf_index;
 *         case external:
 *             uint32 sender_index;
 *         case new_member_commit:
 *         case new_member_proposal:
 *             struct{};
 *     };
 * } Sender;
 * </pre>
 */
public sealed interface Sender extends TlsEncodable {
  /** The sender_type tag. */
  SenderType type();

  /** A member of the group, by leaf. */
  record Member(LeafIndex leafIndex) implements Sender {
    public Member {
      Objects.requireNonNull(leafIndex, "leafIndex");
    }

    @Override
    public SenderType type() {
      return SenderType.MEMBER;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(SenderType.MEMBER.code()).u32(leafIndex.value());
    }
  }

  /** A sender listed in the group's {@code external_senders} extension, by position (uint32). */
  record External(long senderIndex) implements Sender {
    public External {
      if (senderIndex < 0 || senderIndex > 0xffff_ffffL) {
        throw new IllegalArgumentException("sender_index out of uint32 range: " + senderIndex);
      }
    }

    @Override
    public SenderType type() {
      return SenderType.EXTERNAL;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(SenderType.EXTERNAL.code()).u32(senderIndex);
    }
  }

  /** A non-member proposing to add itself (§12.1.8). */
  record NewMemberProposal() implements Sender {
    @Override
    public SenderType type() {
      return SenderType.NEW_MEMBER_PROPOSAL;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(SenderType.NEW_MEMBER_PROPOSAL.code());
    }
  }

  /** A non-member joining through an external commit (§12.4.3.2). */
  record NewMemberCommit() implements Sender {
    @Override
    public SenderType type() {
      return SenderType.NEW_MEMBER_COMMIT;
    }

    @Override
    public void encode(TlsWriter w) {
      w.u8(SenderType.NEW_MEMBER_COMMIT.code());
    }
  }

  /** A member sender at {@code leaf}. */
  static Sender member(LeafIndex leaf) {
    return new Member(leaf);
  }

  /**
   * Reads one {@code Sender} (RFC 9420 wire form);
   * throws {@link DecodeException} on malformed input.
   */
  static Sender decode(TlsReader r) throws DecodeException {
    SenderType type = SenderType.fromCode(r.u8());
    return switch (type) {
      case MEMBER -> new Member(LeafIndex.decode(r));
      case EXTERNAL -> new External(r.u32());
      case NEW_MEMBER_PROPOSAL -> new NewMemberProposal();
      case NEW_MEMBER_COMMIT -> new NewMemberCommit();
    };
  }
}
