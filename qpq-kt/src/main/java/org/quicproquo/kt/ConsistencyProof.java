package org.quicproquo.kt;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 §2.1.4 consistency proof {@code PROOF(oldSize, D[newSize])}: the hashes showing the
 * tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize} leaves. Empty when
 * {@code oldSize} is 0 or equals {@code newSize}. Verify with {@link LogVerifier#verifyConsistency}.
 *
 * <pre>
 *   u64 old_size || u64 new_size || u8 count (&lt;= 64) || count * hash[32]
 * </pre>
 *
 * @param oldSize size of the earlier tree
 * @param newSize size of the later tree
 * @param path proof hashes (deep-copied; the accessor returns copies)
 */
public record ConsistencyProof(long oldSize, long newSize, List<byte[]> path) {
  /** Checks {@code 0 <= oldSize <= newSize} and at most 64 hashes of 32 bytes. */
  public ConsistencyProof {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("need 0 <= old size <= new size: " + oldSize + ", " + newSize);
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
    Wire.Writer w = new Wire.Writer().u64(oldSize).u64(newSize);
    ProofPath.write(w, path);
    return w.toByteArray();
  }

  /** Decodes exactly one proof; anything else is {@link KtException.Reason#MALFORMED}. */
  public static ConsistencyProof decode(byte[] bytes) throws KtException {
    Wire.Reader r = new Wire.Reader(bytes, "consistency proof");
    long oldSize = r.u63("old size");
    long newSize = r.u63("new size");
    if (oldSize > newSize) {
      throw r.malformed("old size " + oldSize + " exceeds new size " + newSize);
    }
    List<byte[]> path = ProofPath.read(r);
    r.end();
    return new ConsistencyProof(oldSize, newSize, path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsistencyProof p && oldSize == p.oldSize && newSize == p.newSize
        && ProofPath.equal(path, p.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(oldSize, newSize) * 31 + ProofPath.hash(path);
  }

  @Override
  public String toString() {
    return "ConsistencyProof[" + oldSize + " -> " + newSize + ", " + path.size() + " hashes]";
  }
}
