package org.quicproquo.client;

/**
 * What {@code ktInclusionProof} returned, still unverified: a log entry, its inclusion proof and
 * the signed tree head, each in qpq-kt's wire form.
 *
 * @param entry the LogEntry encoding
 * @param proof the InclusionProof encoding
 * @param treeHead the SignedTreeHead encoding
 */
public record KtLatestEntry(byte[] entry, byte[] proof, byte[] treeHead) {
  /** Copies the arrays. */
  public KtLatestEntry {
    entry = entry.clone();
    proof = proof.clone();
    treeHead = treeHead.clone();
  }

  @Override
  public byte[] entry() {
    return entry.clone();
  }

  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public byte[] treeHead() {
    return treeHead.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KtLatestEntry k && java.util.Arrays.equals(entry, k.entry)
        && java.util.Arrays.equals(proof, k.proof) && java.util.Arrays.equals(treeHead, k.treeHead);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(entry) * 961 + java.util.Arrays.hashCode(proof) * 31
        + java.util.Arrays.hashCode(treeHead);
  }
}
