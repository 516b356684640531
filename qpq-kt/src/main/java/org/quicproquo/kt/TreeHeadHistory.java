package org.quicproquo.kt;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client remembers about the log: the latest signed tree head it accepted. A new head is
 * accepted only if the log key signed it and it is an append-only extension of the latest one,
 * so a server that forks the log (shows two clients different trees) or rolls it back is caught
 * the next time this client sees a head from the other branch.
 *
 * <p>Policy: the first head is accepted on its signature alone (trust on first use of the log
 * key). A head of the same size must have the same root. A smaller head is a {@code ROLLBACK}.
 * Timestamps are not compared here; freshness is the caller's policy. A failed {@link #accept}
 * leaves the history unchanged. Not thread-safe.
 */
public final class TreeHeadHistory {
  private final LogPublicKey logKey;
  private SignedTreeHead latest;

  /** A history that has seen nothing yet. */
  public TreeHeadHistory(LogPublicKey logKey) {
    this.logKey = Objects.requireNonNull(logKey, "logKey");
  }

  /**
   * A history resuming from a head the client stored earlier (it is verified again).
   *
   * @throws KtException {@code BAD_SIGNATURE} if the stored head is not signed by {@code logKey}
   */
  public TreeHeadHistory(LogPublicKey logKey, SignedTreeHead stored) throws KtException {
    this(logKey);
    stored.verify(logKey);
    this.latest = stored;
  }

  /** The latest accepted head, if any. */
  public Optional<SignedTreeHead> latest() {
    return Optional.ofNullable(latest);
  }

  /** The size a consistency proof for the next head must start from (0 before the first head). */
  public long consistencyFrom() {
    return latest == null ? 0 : latest.treeSize();
  }

  /**
   * Accepts {@code sth} as the new latest head.
   *
   * @param proof consistency proof from {@link #consistencyFrom()} to {@code sth.treeSize()};
   *     ignored (may be null) for the first head or a head of the same size
   * @throws KtException {@code BAD_SIGNATURE}, {@code ROLLBACK} (smaller than the latest) or
   *     {@code INCONSISTENT} (same size with another root, or a proof that does not connect them)
   */
  public void accept(SignedTreeHead sth, ConsistencyProof proof) throws KtException {
    sth.verify(logKey);
    if (latest == null) {
      latest = sth;
      return;
    }
    if (sth.treeSize() < latest.treeSize()) {
      throw new KtException(KtException.Reason.ROLLBACK,
          "tree size " + sth.treeSize() + " is below the " + latest.treeSize() + " already seen");
    }
    if (sth.treeSize() == latest.treeSize()) {
      if (!sth.sameTree(latest)) {
        throw new KtException(KtException.Reason.INCONSISTENT,
            "two different roots signed for tree size " + sth.treeSize());
      }
      if (sth.timestampMs() > latest.timestampMs()) {
        latest = sth; // same tree, fresher signature
      }
      return;
    }
    if (proof == null) {
      throw new KtException(KtException.Reason.INCONSISTENT,
          "no consistency proof from " + latest.treeSize() + " to " + sth.treeSize());
    }
    LogVerifier.verifyConsistency(latest, sth, proof);
    latest = sth;
  }
}
