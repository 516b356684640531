package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.kt.NaiveTree.indexData;
import static org.quicproquo.kt.NaiveTree.leaf;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A log of 1,000,000 entries built incrementally: roots at random earlier sizes match the naive
 * recursion, and sampled inclusion and consistency proofs at random sizes verify and fail when
 * tampered with.
 */
class LargeLogTest {
  private static final int SIZE = 1_000_000;
  private static MerkleLog log;

  @BeforeAll
  static void build() {
    log = new MerkleLog();
    for (int i = 0; i < SIZE; i++) {
      log.append(indexData(i));
    }
  }

  @Test
  void rootsAtRandomSizesUpToAMillionMatchTheNaiveRecursion() {
    NaiveTree naive = new NaiveTree(NaiveTree::indexData);
    Random random = new Random(1_000_000);
    long[] sizes = {SIZE, 1 + random.nextInt(SIZE), 1 + random.nextInt(SIZE)};
    for (long n : sizes) {
      assertThat(log.rootHash(n)).as("root of %d", n).isEqualTo(naive.mth(0, n));
    }
  }

  @Test
  void sampledProofsAtRandomSizesVerify() {
    TreeHashes hashes = TreeHashes.create();
    Random random = new Random(42);
    for (int s = 0; s < 8; s++) {
      long n = s == 0 ? SIZE : 1 + random.nextInt(SIZE);
      byte[] root = log.rootHash(n);
      for (int t = 0; t < 50; t++) {
        long index = t == 0 ? n - 1 : random.nextInt((int) n);
        InclusionProof proof = log.inclusionProof(index, n);
        assertThat(proof.path()).hasSizeLessThanOrEqualTo(20);
        byte[] leafHash = leaf(indexData(index));
        assertThat(LogVerifier.inclusionValid(hashes, leafHash, index, n, proof.path(), root))
            .as("leaf %d of %d", index, n).isTrue();
        assertThat(LogVerifier.inclusionValid(hashes, leaf(indexData(index + 1)), index, n,
            proof.path(), root)).as("other leaf %d of %d", index, n).isFalse();
      }
      for (int t = 0; t < 50; t++) {
        long m = t == 0 ? n : 1 + random.nextInt((int) n);
        ConsistencyProof proof = log.consistencyProof(m, n);
        byte[] oldRoot = log.rootHash(m);
        assertThat(LogVerifier.consistencyValid(hashes, m, n, oldRoot, root, proof.path()))
            .as("%d -> %d", m, n).isTrue();
        if (m < n) {
          byte[] forged = NaiveTree.sha256(oldRoot);
          assertThat(LogVerifier.consistencyValid(hashes, m, n, forged, root, proof.path()))
              .as("forged old root %d -> %d", m, n).isFalse();
        }
      }
    }
  }
}
