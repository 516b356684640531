package org.quicproquo.kt;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 §2.1.3 inclusion proof: the audit path {@code PATH(leafIndex, D[treeSize])}, sibling
 * hashes ordered from the leaf towards the root. Verify with {@link LogVerifier#verifyInclusion}.
 *
 * <pre>
 *   u64 leaf_index || u64 tree_size || u8 count (&lt;= 64) || count * hash[32]
 * </pre>
 *
 * @param leafIndex index of the proven leaf (= the entry's sequence number)
 * @param treeSize size of the tree the path leads to
 * @param path sibling hashes (deep-copied; the accessor returns copies)
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {
  /** Checks {@code 0 <= leafIndex < treeSize} and at most 64 hashes of 32 bytes. */
  public InclusionProof {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException("leaf index " + leafIndex + " not below tree size " + treeSize);
    }
    path = ProofPath.copy(Objects.requireNonNull(path, "path"));
  }

  /** Copies of the path hashes. */
  @Override
  public List<byte[]> path() {
    return ProofPath.copy(path);
  }

  /** The wire form in the class javadoc. */
  public byte[] encode() {
    Wire.Writer w = new Wire.Writer().u64(leafIndex).u64(treeSize);
    ProofPath.write(w, path);
    return w.toByteArray();
  }

  /** Decodes exactly one proof; anything else is {@link KtException.Reason#MALFORMED}. */
  public static InclusionProof decode(byte[] bytes) throws KtException {
    Wire.Reader r = new Wire.Reader(bytes, "inclusion proof");
    long index = r.u63("leaf index");
    long size = r.u63("tree size");
    if (index >= size) {
      throw r.malformed("leaf index " + index + " not below tree size " + size);
    }
    List<byte[]> path = ProofPath.read(r);
    r.end();
    return new InclusionProof(index, size, path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InclusionProof p && leafIndex == p.leafIndex && treeSize == p.treeSize
        && ProofPath.equal(path, p.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(leafIndex, treeSize) * 31 + ProofPath.hash(path);
  }

  @Override
  public String toString() {
    return "InclusionProof[leaf " + leafIndex + " of " + treeSize + ", " + path.size() + " hashes]";
  }
}
