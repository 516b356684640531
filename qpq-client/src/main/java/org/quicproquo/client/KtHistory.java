package org.quicproquo.client;

import java.util.List;

/**
 * What {@code ktKeyHistory} returned, still unverified: a user's log entries and their inclusion
 * proofs (pairwise), and the signed tree head they lead to, each in qpq-kt's wire form.
 *
 * @param entries LogEntry encodings in sequence order (copied)
 * @param proofs InclusionProof encodings, one per entry (copied)
 * @param treeHead the SignedTreeHead encoding (copied)
 */
public record KtHistory(List<byte[]> entries, List<byte[]> proofs, byte[] treeHead) {
  /** Copies the lists and arrays. */
  public KtHistory {
    entries = entries.stream().map(byte[]::clone).toList();
    proofs = proofs.stream().map(byte[]::clone).toList();
    treeHead = treeHead.clone();
  }

  @Override
  public List<byte[]> entries() {
    return entries.stream().map(byte[]::clone).toList();
  }

  @Override
  public List<byte[]> proofs() {
    return proofs.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] treeHead() {
    return treeHead.clone();
  }
}
