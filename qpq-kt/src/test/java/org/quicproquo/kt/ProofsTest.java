package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicproquo.kt.NaiveTree.indexData;
import static org.quicproquo.kt.NaiveTree.leaf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inclusion and consistency proofs for every small tree, checked three ways: equal to the RFC's
 * recursion ({@link NaiveTree}), accepted by the §2.1.3.2 / §2.1.4.2 verifiers, and rejected after
 * any single change (leaf, index, size, each path element, a hash added or removed, either root).
 */
class ProofsTest {
  private static final int MAX = 1000;
  private static final NaiveTree NAIVE = NaiveTree.memoized(NaiveTree::indexData);
  private static MerkleLog log;
  private static byte[][] roots;
  private final TreeHashes hashes = TreeHashes.create();
  private final List<String> failures = new ArrayList<>();

  @BeforeAll
  static void buildLog() {
    log = new MerkleLog();
    roots = new byte[MAX + 1][];
    roots[0] = log.rootHash();
    for (int i = 0; i < MAX; i++) {
      log.append(indexData(i));
      roots[i + 1] = log.rootHash();
    }
  }

  @Test
  void everyInclusionProofUpTo1000VerifiesAndTamperingFails() {
    Random random = new Random(9162);
    int checked = 0;
    for (int n = 1; n <= MAX; n++) {
      List<Long> indices = new ArrayList<>();
      if (n <= 200) {
        for (long i = 0; i < n; i++) {
          indices.add(i);
        }
      } else {
        indices.add(0L);
        indices.add((long) n - 1);
        indices.add((long) n / 2);
        for (int s = 0; s < 5; s++) {
          indices.add((long) random.nextInt(n));
        }
      }
      for (long index : indices) {
        checkInclusion(index, n);
        checked++;
      }
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThan(20_100);
  }

  /**
   * Checks one proof; failures are collected rather than asserted one by one, because AssertJ per
   * tampered variant (~300,000 of them) would dominate the run time.
   */
  private void checkInclusion(long index, long n) {
    InclusionProof proof = log.inclusionProof(index, n);
    List<byte[]> path = proof.path();
    String what = "leaf " + index + " of " + n;
    expect(proof.leafIndex() == index && proof.treeSize() == n, what, "indices");
    expect(samePath(path, NAIVE.path(index, n)), what, "equals RFC PATH");
    byte[] leafHash = leaf(indexData(index));
    byte[] root = roots[(int) n];
    expect(valid(leafHash, index, n, path, root), what, "verifies");

    expect(!valid(leaf(indexData(index + 1)), index, n, path, root), what, "other leaf");
    if (n > 1) {
      long other = index == 0 ? 1 : index - 1;
      expect(!valid(leafHash, other, n, path, root), what, "other index");
    }
    expect(!valid(leafHash, index, n, path, roots[(int) n - 1]), what, "other root");
    expect(!valid(leafHash, n, n, path, root), what, "index = size");
    for (int i = 0; i < path.size(); i++) {
      List<byte[]> tampered = new ArrayList<>(path);
      byte[] h = tampered.get(i).clone();
      h[i % 32] ^= 1;
      tampered.set(i, h);
      expect(!valid(leafHash, index, n, tampered, root), what, "path[" + i + "] changed");
    }
    if (!path.isEmpty()) {
      expect(!valid(leafHash, index, n, path.subList(0, path.size() - 1), root), what, "shortened");
    }
    List<byte[]> longer = new ArrayList<>(path);
    longer.add(root);
    expect(!valid(leafHash, index, n, longer, root), what, "lengthened");
  }

  private void expect(boolean ok, String what, String check) {
    if (!ok) {
      failures.add(what + ": " + check);
    }
  }

  private static boolean samePath(List<byte[]> a, List<byte[]> b) {
    return ProofPath.equal(a, b);
  }

  private boolean valid(byte[] leafHash, long index, long n, List<byte[]> path, byte[] root) {
    return LogVerifier.inclusionValid(hashes, leafHash, index, n, path, root);
  }

  @Test
  void everyConsistencyProofUpTo64AndSampledUpTo1000VerifiesAndTamperingFails() {
    int checked = 0;
    for (int n = 0; n <= 64; n++) {
      for (int m = 0; m <= n; m++) {
        checkConsistency(m, n);
        checked++;
      }
    }
    Random random = new Random(6962);
    for (int s = 0; s < 2000; s++) {
      int n = 1 + random.nextInt(MAX);
      int m = random.nextInt(n + 1);
      checkConsistency(m, n);
      checked++;
    }
    assertThat(checked).isEqualTo(2145 + 2000);
  }

  private void checkConsistency(long m, long n) {
    ConsistencyProof proof = log.consistencyProof(m, n);
    List<byte[]> path = proof.path();
    String what = m + " -> " + n;
    if (m == 0 || m == n) {
      assertThat(path).as(what).isEmpty();
    } else {
      assertThat(path).as(what).usingElementComparator(ProofsTest::compareBytes)
          .containsExactlyElementsOf(NAIVE.proof(m, n));
    }
    byte[] r1 = roots[(int) m];
    byte[] r2 = roots[(int) n];
    assertThat(valid(m, n, r1, r2, path)).as(what).isTrue();

    byte[] otherRoot = NaiveTree.sha256(r1);
    assertThat(valid(m, n, otherRoot, r2, path)).as(what + " old root").isFalse();
    // Every tree extends the empty tree, so only a non-empty old tree pins the new root.
    assertThat(valid(m, n, r1, otherRoot, path)).as(what + " new root").isEqualTo(m == 0 && n > 0);
    for (int i = 0; i < path.size(); i++) {
      List<byte[]> tampered = new ArrayList<>(path);
      byte[] h = tampered.get(i).clone();
      h[31 - i % 32] ^= 0x80;
      tampered.set(i, h);
      assertThat(valid(m, n, r1, r2, tampered)).as(what + " path[" + i + "]").isFalse();
    }
    if (!path.isEmpty()) {
      assertThat(valid(m, n, r1, r2, path.subList(1, path.size()))).as(what + " shortened").isFalse();
    }
    List<byte[]> longer = new ArrayList<>(path);
    longer.add(r2);
    assertThat(valid(m, n, r1, r2, longer)).as(what + " lengthened").isFalse();
    if (m > 0 && m < n) {
      // The same proof does not prove a neighbouring size.
      assertThat(valid(m - 1, n, roots[(int) m - 1], r2, path)).as(what + " old size - 1").isFalse();
      assertThat(valid(m, n - 1, r1, roots[(int) n - 1], path)).as(what + " new size - 1").isFalse();
    }
  }

  private boolean valid(long m, long n, byte[] r1, byte[] r2, List<byte[]> path) {
    return LogVerifier.consistencyValid(hashes, m, n, r1, r2, path);
  }

  static int compareBytes(byte[] a, byte[] b) {
    return java.util.Arrays.compare(a, b);
  }
}
