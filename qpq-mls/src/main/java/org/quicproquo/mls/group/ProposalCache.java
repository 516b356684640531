package org.quicproquo.mls.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.ProposalRef;
import org.quicproquo.mls.message.Sender;

/**
 * The proposals received (or sent) by reference in the current epoch (RFC 9420 §12.1, §12.4: "the
 * proposals ... are cached until the next Commit"). Immutable: {@link #with} returns a new cache.
 * A cache belongs to one epoch; a new epoch starts with {@link #EMPTY}.
 */
final class ProposalCache {
  /**
   * One cached proposal with the reference it is addressed by and who sent it. For an Update this
   * member sent, {@code ownLeafPrivateKey} is the private key of the proposed leaf's encryption
   * key (needed if another member commits the Update); otherwise null.
   */
  record Entry(ProposalRef ref, Proposal proposal, Sender sender, byte[] ownLeafPrivateKey) {
    Entry {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(proposal, "proposal");
      Objects.requireNonNull(sender, "sender");
      ownLeafPrivateKey = ownLeafPrivateKey == null ? null : ownLeafPrivateKey.clone();
    }

    @Override
    public byte[] ownLeafPrivateKey() {
      return ownLeafPrivateKey == null ? null : ownLeafPrivateKey.clone();
    }
  }

  static final ProposalCache EMPTY = new ProposalCache(List.of());

  /** Bound on cached proposals per epoch, so a flood of proposals cannot grow state without end. */
  static final int MAX_ENTRIES = 10_000;

  private final List<Entry> entries;

  ProposalCache(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  List<Entry> entries() {
    return entries;
  }

  int size() {
    return entries.size();
  }

  Optional<Entry> find(ProposalRef ref) {
    return entries.stream().filter(e -> e.ref().equals(ref)).findFirst();
  }

  /** This cache plus {@code e}; a proposal already cached under the same reference is kept once. */
  ProposalCache with(Entry e) throws MessageRejectedException {
    if (find(e.ref()).isPresent()) {
      return this;
    }
    if (entries.size() >= MAX_ENTRIES) {
      throw new MessageRejectedException(RejectReason.INVALID_PROPOSAL,
          "too many proposals cached in this epoch");
    }
    List<Entry> next = new ArrayList<>(entries);
    next.add(e);
    return new ProposalCache(next);
  }
}
