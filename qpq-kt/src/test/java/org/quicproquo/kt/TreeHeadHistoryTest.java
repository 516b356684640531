package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicproquo.kt.SignedTreeHeadTest.KEY;
import static org.quicproquo.kt.SignedTreeHeadTest.OTHER;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TreeHeadHistoryTest {
  private long clock = 1_000;

  private static MerkleLog logOf(int n, int forkAt) {
    MerkleLog log = new MerkleLog();
    for (int i = 0; i < n; i++) {
      log.append(NaiveTree.indexData(i == forkAt ? 1_000_000 + i : i));
    }
    return log;
  }

  private SignedTreeHead head(MerkleLog log, long size) {
    return KEY.sign(size, log.rootHash(size), clock++);
  }

  @Test
  void growingLogIsAcceptedStepByStep() throws KtException {
    MerkleLog log = logOf(500, -1);
    TreeHeadHistory history = new TreeHeadHistory(KEY.publicKey());
    assertThat(history.consistencyFrom()).isZero();
    history.accept(head(log, 3), null);
    for (long size : new long[] {3, 4, 17, 64, 65, 300, 500}) {
      SignedTreeHead next = head(log, size);
      history.accept(next, log.consistencyProof(history.consistencyFrom(), size));
      assertThat(history.latest()).contains(next);
    }
  }

  @Test
  void forkOfTheSameSizeIsInconsistent() throws KtException {
    MerkleLog honest = logOf(100, -1);
    MerkleLog forked = logOf(100, 42);
    TreeHeadHistory history = new TreeHeadHistory(KEY.publicKey(), head(honest, 100));
    SignedTreeHead seen = history.latest().orElseThrow();
    expect(() -> history.accept(head(forked, 100), null), KtException.Reason.INCONSISTENT);
    assertThat(history.latest()).contains(seen);
  }

  @Test
  void forkDetectedWhenTheLogGrows() throws KtException {
    MerkleLog honest = logOf(100, -1);
    MerkleLog forked = logOf(150, 42);
    TreeHeadHistory history = new TreeHeadHistory(KEY.publicKey(), head(honest, 100));
    // The forked log's own proof from 100 to 150 connects its root, not the one the client saw.
    expect(() -> history.accept(head(forked, 150), forked.consistencyProof(100, 150)),
        KtException.Reason.INCONSISTENT);
    expect(() -> history.accept(head(forked, 150), null), KtException.Reason.INCONSISTENT);
    // A proof for other sizes does not count either.
    expect(() -> history.accept(head(forked, 150), forked.consistencyProof(99, 150)),
        KtException.Reason.INCONSISTENT);
    assertThat(history.latest().orElseThrow().treeSize()).isEqualTo(100);
  }

  @Test
  void verifierRejectsSameSizeForksAndMismatchedProofSizes() throws KtException {
    MerkleLog honest = logOf(64, -1);
    MerkleLog forked = logOf(64, 3);
    expect(() -> LogVerifier.verifyConsistency(head(honest, 64), head(forked, 64),
        honest.consistencyProof(64, 64)), KtException.Reason.INCONSISTENT);
    expect(() -> LogVerifier.verifyConsistency(head(honest, 10), head(honest, 64),
        honest.consistencyProof(11, 64)), KtException.Reason.INCONSISTENT);
    expect(() -> LogVerifier.verifyConsistency(head(honest, 10), head(forked, 64),
        forked.consistencyProof(10, 64)), KtException.Reason.INCONSISTENT);
    LogVerifier.verifyConsistency(head(honest, 10), head(honest, 64), honest.consistencyProof(10, 64));
    LogVerifier.verifyConsistency(head(honest, 0), head(honest, 64), honest.consistencyProof(0, 64));
  }

  @Test
  void smallerTreeIsARollback() throws KtException {
    MerkleLog log = logOf(100, -1);
    TreeHeadHistory history = new TreeHeadHistory(KEY.publicKey(), head(log, 100));
    expect(() -> history.accept(head(log, 99), null), KtException.Reason.ROLLBACK);
    expect(() -> LogVerifier.verifyConsistency(head(log, 100), head(log, 50),
        log.consistencyProof(50, 100)), KtException.Reason.ROLLBACK);
  }

  @Test
  void headSignedByAnotherKeyIsRejected() throws KtException {
    MerkleLog log = logOf(10, -1);
    TreeHeadHistory history = new TreeHeadHistory(KEY.publicKey());
    SignedTreeHead foreign = OTHER.sign(10, log.rootHash(), 1);
    expect(() -> history.accept(foreign, null), KtException.Reason.BAD_SIGNATURE);
    assertThat(history.latest()).isEmpty();
    expect(() -> new TreeHeadHistory(KEY.publicKey(), foreign), KtException.Reason.BAD_SIGNATURE);
  }

  @Test
  void inclusionAgainstASignedHead() throws KtException {
    MerkleLog log = new MerkleLog();
    byte[] key = new byte[32];
    for (int i = 0; i < 20; i++) {
      log.append(LogEntry.register(i, 100 + i, "user" + i + "@example.org", key));
    }
    LogEntry entry = LogEntry.register(7, 107, "user7@example.org", key);
    SignedTreeHead sth = head(log, 20);
    InclusionProof proof = log.inclusionProof(7, 20);
    LogVerifier.verifyInclusion(entry, proof, sth);
    LogVerifier.verifyInclusion(entry.encode(), 7, InclusionProof.decode(proof.encode()), sth);
    LogEntry altered = LogEntry.register(7, 107, "user7@example.org", new byte[] {
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    expect(() -> LogVerifier.verifyInclusion(altered, proof, sth), KtException.Reason.INCLUSION_FAILED);
    expect(() -> LogVerifier.verifyInclusion(entry.encode(), 8, proof, sth),
        KtException.Reason.INCLUSION_FAILED);
    expect(() -> LogVerifier.verifyInclusion(entry, proof, head(log, 19)),
        KtException.Reason.INCLUSION_FAILED);
  }

  private static void expect(ThrowingCallable call, KtException.Reason reason) {
    assertThatThrownBy(call).isInstanceOf(KtException.class)
        .extracting(t -> ((KtException) t).reason()).isEqualTo(reason);
  }
}
